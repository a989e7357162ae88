//! The demo district (`fixtures/demo.sql`), written relative to a reference day and shifted so
//! that it always looks current.

use super::Store;
use crate::error::Result;
use chrono::NaiveDate;

const DEMO_SQL: &str = include_str!("../../fixtures/demo.sql");
/// Contract version 2's rows (needs answered, surveys, members, service), run right after.
const DEMO_CONTRACT2_SQL: &str = include_str!("../../fixtures/demo_contract2.sql");

/// The day the demo's literal dates are written for.
pub const DEMO_REFERENCE_DAY: &str = "2026-11-28";

/// Every date column of the contract, shifted together.
const DATE_COLUMNS: &[(&str, &str)] = &[
    ("contract", "signed_on"),
    ("need", "raised_on"),
    ("project", "due_on"),
    ("project", "done_on"),
    ("activity", "held_on"),
    ("meeting", "held_on"),
    ("survey", "held_on"),
    ("member", "registered_on"),
    ("member", "left_on"),
    ("service", "served_on"),
];

/// Fills an empty store with the demo district, its dates moved by `today − reference day`.
pub fn load_demo(store: &mut Store, today: NaiveDate) -> Result<()> {
    let reference = crate::dates::parse_ymd(DEMO_REFERENCE_DAY).unwrap_or(today);
    let shift = (today - reference).num_days();
    store.write(|tx| {
        tx.execute_batch(DEMO_SQL)?;
        tx.execute_batch(DEMO_CONTRACT2_SQL)?;
        if shift != 0 {
            let modifier = format!("{shift:+} days");
            for (table, column) in DATE_COLUMNS {
                tx.execute(
                    &format!("UPDATE {table} SET {column} = date({column}, ?1) WHERE {column} IS NOT NULL"),
                    [&modifier],
                )?;
            }
        }
        Ok(())
    })
}
