//! What the year-end assessment reads besides the four panels: contracts with their ids, the
//! year's grades, and the surveys and service sessions behind satisfaction and members'
//! minutes. Tolerant per row like the other readers (see `rows`): a value the contract does
//! not allow becomes a [`DataProblem`] about that row, never a guess; a table the file does not
//! have yet (a version-1 file) reads as empty.

use super::read::in_read_transaction;
use super::rows::{CellRow, Cells, Source, collect_on, contract};
use crate::error::Result;
use crate::indicators::assessment::{ServiceRow, SurveyRow};
use crate::model::{Assessor, ContractRef, DataProblem, Grade, GradeRow, Subject};
use rusqlite::Connection;

/// The rows the assessment of a year reads from the version-2 tables.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AssessRows {
    pub contracts: Vec<ContractRef>,
    pub grades: Vec<GradeRow>,
    pub surveys: Vec<SurveyRow>,
    pub services: Vec<ServiceRow>,
    pub problems: Vec<DataProblem>,
}

fn has_table(conn: &dyn Source, name: &str) -> Result<bool> {
    match conn.sqlite() {
        Some(conn) => {
            let found: i64 = conn.query_row(
                "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
                [name],
                |r| r.get(0),
            )?;
            Ok(found > 0)
        }
        None => conn.has_table(name),
    }
}

/// Reads the grades of `year` (grades of other years are not read) and the year's surveys and
/// services, in one read transaction.
pub fn load_assess_rows(conn: &Connection, year: i32) -> Result<AssessRows> {
    in_read_transaction(conn, |tx| load_assess_rows_on(tx, year))
}

/// [`load_assess_rows`] on either engine, inside the caller's read transaction.
pub fn load_assess_rows_on(tx: &dyn Source, year: i32) -> Result<AssessRows> {
    {
        let mut rows = AssessRows::default();
        let mut problems = Vec::new();
        let (first, last) = (format!("{year:04}-01-01"), format!("{year:04}-12-31"));
        rows.contracts = contract::all(tx, &mut problems)?
            .into_iter()
            .map(|k| ContractRef {
                id: k.id,
                community_id: k.community_id,
                unit_id: k.unit_id,
            })
            .collect();
        if has_table(tx, "assessment")? {
            rows.grades = collect_on(
                tx,
                "SELECT id, year, subject, subject_id, assessor, grade, note FROM assessment
                  WHERE year = ?1 ORDER BY id",
                &[i64::from(year).into()],
                |r| grade_row(r, &mut problems),
            )?;
        }
        if has_table(tx, "survey")? {
            rows.surveys = collect_on(
                tx,
                "SELECT id, project_id, held_on, respondents, satisfied FROM survey
                  WHERE held_on BETWEEN ?1 AND ?2",
                &[(&first).into(), (&last).into()],
                |r| {
                    let mut cells = Cells::new(r, "survey")?;
                    let survey = SurveyRow {
                        project_id: cells.int(1, "project_id")?,
                        held_on: cells.date(2, "held_on")?,
                        respondents: cells.int(3, "respondents")?,
                        satisfied: cells.int(4, "satisfied")?,
                    };
                    Ok(cells.finish(survey, &mut problems))
                },
            )?;
        }
        if has_table(tx, "service")? && has_table(tx, "member")? {
            rows.services = collect_on(
                tx,
                "SELECT s.id, m.unit_id, s.served_on, s.minutes
                   FROM service s JOIN member m ON m.id = s.member_id
                  WHERE s.served_on BETWEEN ?1 AND ?2",
                &[(&first).into(), (&last).into()],
                |r| {
                    let mut cells = Cells::new(r, "service")?;
                    let service = ServiceRow {
                        unit_id: cells.opt_int(1, "unit_id")?,
                        served_on: cells.date(2, "served_on")?,
                        minutes: cells.int(3, "minutes")?,
                    };
                    Ok(cells.finish(service, &mut problems))
                },
            )?;
        }
        rows.problems = problems;
        Ok(rows)
    }
}

/// One row of the assessment table; a value outside the contract is a problem about the row.
fn grade_row(
    r: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<GradeRow>> {
    let mut cells = Cells::new(r, "assessment")?;
    let year = cells.int(1, "year")?;
    let subject_text = cells.text(2)?;
    let subject = Subject::parse(&subject_text);
    if subject.is_none() {
        cells.mark("subject", subject_text);
    }
    let subject_id = cells.int(3, "subject_id")?;
    let assessor_text = cells.text(4)?;
    let assessor = Assessor::parse(&assessor_text);
    if assessor.is_none() {
        cells.mark("assessor", assessor_text);
    }
    let grade_text = cells.text(5)?;
    let grade = Grade::parse(&grade_text);
    if grade.is_none() {
        cells.mark("grade", grade_text);
    }
    let note = cells.text(6)?;
    let (Some(subject), Some(assessor), Some(grade)) = (subject, assessor, grade) else {
        return Ok(cells.finish((), problems).and(None));
    };
    let row = GradeRow {
        id: cells.id(),
        year: i32::try_from(year).unwrap_or(0),
        subject,
        subject_id,
        assessor,
        grade,
        note,
    };
    Ok(cells.finish(row, problems))
}

/// Every grade of every year, by id (what the import matches a row of 考评结果 to); empty when
/// the file has no assessment table yet.
pub fn all_grades(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<GradeRow>> {
    if !has_table(conn, "assessment")? {
        return Ok(Vec::new());
    }
    collect_on(
        conn,
        "SELECT id, year, subject, subject_id, assessor, grade, note FROM assessment ORDER BY id",
        &[],
        |r| grade_row(r, problems),
    )
}
