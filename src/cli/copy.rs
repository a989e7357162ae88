//! `gongjian copy FROM TO`: a district moved between an SQLite file and a PostgreSQL database.

use super::Context;
use crate::error::{Error, Result};
use crate::i18n::Lang;
use crate::report::{self, Format};
use crate::store::copy::{self, Place};
use crate::store::pg::Given;
use crate::store::pg::PgStore;
use crate::store::{Access, Scope, Store};
use chrono::NaiveDate;

/// Where an argument came from: the environment when it is `GONGJIAN_DB`'s value (a shell that
/// expanded `"$GONGJIAN_DB"`), else the command line, where no password may be written.
fn given(text: &str) -> Given {
    if std::env::var("GONGJIAN_DB").is_ok_and(|v| v == text) {
        Given::Environment
    } else {
        Given::CommandLine
    }
}

pub fn run_copy(ctx: &Context, from: &str, to: &str) -> Result<()> {
    let from = Place::parse(from, given(from))?;
    let to = Place::parse(to, given(to))?;
    let copied = copy_checked(ctx, &from, &to)?;
    let rows: u64 = copied.tables.iter().map(|(_, n)| n).sum();
    let list: Vec<String> = copied
        .tables
        .iter()
        .filter(|(_, n)| *n > 0)
        .map(|(t, n)| format!("{t} {n}"))
        .collect();
    println!(
        "{}",
        match ctx.lang {
            Lang::Zh => format!(
                "已把 {} 复制到 {}：{} 张表共 {rows} 行（{}），两边每张表的行数一致，JSON 报表相同",
                from.shown(),
                to.shown(),
                copied.tables.len(),
                list.join("，")
            ),
            Lang::En => format!(
                "copied {} to {}: {} tables, {rows} rows ({}); every table has the same row count on both sides, and the JSON report is the same",
                from.shown(),
                to.shown(),
                copied.tables.len(),
                list.join(", ")
            ),
        }
    );
    Ok(())
}

/// Copies `from` into `to` and checks the copy: the row counts (in the store), then the JSON
/// report of the source, read in the snapshot the rows came from, against the target's
/// afterwards, each read by its engine's readers.
pub(super) fn copy_checked(ctx: &Context, from: &Place, to: &Place) -> Result<copy::Copied> {
    let today = ctx.today;
    let copied = copy::copy(from, to, &|src| {
        let built = report::build_on(src, today, Scope::District)?;
        Ok(report::render(
            &built.report,
            Format::Json,
            crate::i18n::Lang::En,
        ))
    })?;
    if copied.source_check != report_json(to, today)? {
        return Err(Error::plain(
            format!(
                "已复制到 {}，每张表的行数一致，但两边的 JSON 报表不同（{today}）：请勿使用副本，并把这两份数据交给维护人员",
                to.shown(),
            ),
            format!(
                "copied to {} with the same row count in every table, but the JSON reports of the two differ ({today}): do not use the copy, and hand both to whoever maintains gongjian",
                to.shown(),
            ),
        ));
    }
    Ok(copied)
}

/// The JSON report of the district at `place` for `today`.
fn report_json(place: &Place, today: NaiveDate) -> Result<String> {
    let built = match place {
        Place::File(path) => {
            let store = Store::open(path, Access::ReadOnly)?;
            report::build(store.conn(), today)?
        }
        Place::Server(url) => PgStore::open(url, Access::ReadOnly)?
            .read(|src| report::build_on(src, today, Scope::District))?,
    };
    Ok(report::render(
        &built.report,
        Format::Json,
        crate::i18n::Lang::En,
    ))
}
