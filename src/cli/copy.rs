//! `gongjian copy FROM TO`: a district moved between an SQLite file and a PostgreSQL database.

use super::Context;
use crate::error::Result;
use crate::i18n::Lang;
use crate::store::copy::{self, Place};
use crate::store::pg::Given;

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
    let copied = copy::copy(&from, &to)?;
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
                "已把 {} 复制到 {}：{} 张表共 {rows} 行（{}），两边每张表的行数一致",
                from.shown(),
                to.shown(),
                copied.tables.len(),
                list.join("，")
            ),
            Lang::En => format!(
                "copied {} to {}: {} tables, {rows} rows ({}); every table has the same row count on both sides",
                from.shown(),
                to.shown(),
                copied.tables.len(),
                list.join(", ")
            ),
        }
    );
    Ok(())
}
