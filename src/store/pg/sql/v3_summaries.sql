-- Schema version 3 on PostgreSQL: nothing. In the file this version adds the per-month
-- activity summaries kept by triggers; on a server the figures sum the year's activity rows
-- as they are read, and the version number is kept so that both engines count alike.
SELECT 1;
