//! The year-end assessment's rows (年终考评). Who is graded, by whom, and the grade are closed
//! word lists kept with the others in [`crate::vocab`].

pub use crate::vocab::{Assessor, Grade, Subject};

/// One row of the `assessment` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GradeRow {
    pub id: i64,
    pub year: i32,
    pub subject: Subject,
    pub subject_id: i64,
    pub assessor: Assessor,
    pub grade: Grade,
    pub note: String,
}

/// A contract with its id, as grades name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ContractRef {
    pub id: i64,
    pub community_id: i64,
    pub unit_id: i64,
}
