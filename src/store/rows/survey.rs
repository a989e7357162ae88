//! `survey (id, project_id, held_on, respondents, satisfied)`: contract version 2, one
//! satisfaction survey of a project (群众评单).

use super::{CellRow, Cells, Scope, Source, collect_on};
use crate::error::Result;
use crate::model::{DataProblem, Survey};

const COLUMNS: &str = "SELECT id, project_id, held_on, respondents, satisfied FROM survey";

/// A survey as the figures count it: a real date, `respondents > 0` and `0 <= satisfied <=
/// respondents` (the contract's checks, which a table another tool made may lack).
fn map_figures(
    row: &dyn CellRow,
    problems: &mut Vec<DataProblem>,
) -> rusqlite::Result<Option<Survey>> {
    let mut cells = Cells::new(row, "survey")?;
    let held_on = cells.date(2, "held_on")?;
    let project_id = cells.int(1, "project_id")?;
    let respondents = cells.int(3, "respondents")?;
    let satisfied = cells.int(4, "satisfied")?;
    if !cells.is_bad() {
        if respondents <= 0 {
            cells.mark("respondents", respondents.to_string());
        } else if !(0..=respondents).contains(&satisfied) {
            cells.mark("satisfied", satisfied.to_string());
        }
    }
    let survey = Survey {
        project_id,
        held_on,
        respondents,
        satisfied,
    };
    Ok(cells.finish(survey, problems))
}

/// The surveys held from `first` to `last` (`YYYY-MM-DD`) as the figures count them; empty
/// when the file has no survey table yet (an older file opened read-only).
pub fn for_figures(
    conn: &dyn Source,
    first: &str,
    last: &str,
    scope: Scope,
    problems: &mut Vec<DataProblem>,
) -> Result<Vec<Survey>> {
    if !conn.has_table("survey")? {
        return Ok(Vec::new());
    }
    collect_on(
        conn,
        &format!(
            "{COLUMNS} WHERE {} AND ({held_on} BETWEEN ?1 AND ?2 OR {held_on} >= x''){}",
            scope.through("project_id", "project"),
            scope.order_by_id(),
            held_on = scope.date("held_on"),
        ),
        &[first.into(), last.into()],
        |r| map_figures(r, problems),
    )
}

/// A survey as stored (text as text): what the import matches a row of its surveys sheet to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyStored {
    pub id: i64,
    pub project_id: i64,
    pub held_on: String,
    pub respondents: i64,
    pub satisfied: i64,
}

/// Every survey as stored, by id; empty when the file has no survey table yet.
pub fn all_stored(conn: &dyn Source, problems: &mut Vec<DataProblem>) -> Result<Vec<SurveyStored>> {
    if !conn.has_table("survey")? {
        return Ok(Vec::new());
    }
    collect_on(conn, &format!("{COLUMNS} ORDER BY id"), &[], |r| {
        let mut cells = Cells::new(r, "survey")?;
        let survey = SurveyStored {
            id: cells.id(),
            project_id: cells.int(1, "project_id")?,
            held_on: cells.text(2)?,
            respondents: cells.int(3, "respondents")?,
            satisfied: cells.int(4, "satisfied")?,
        };
        Ok(cells.finish(survey, problems))
    })
}
