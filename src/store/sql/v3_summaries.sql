-- Schema version 3: the per-month activity summaries that keep the figures instant in a
-- city-sized file. Their tables, triggers and refill are written from one definition in
-- src/store/summary_sql.rs (with the clean-row test of src/store/rows/activity.rs) and made at
-- the end of every upgrade, and on opening a file whose summaries an earlier gongjian made.
SELECT 1;
