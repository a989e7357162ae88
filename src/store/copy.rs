//! Moving a district between an SQLite file and a PostgreSQL database, either way
//! (`gongjian copy FROM TO`).
//!
//! The source is opened read-only and never changed. The target must be new or hold an empty
//! district: a new file is made beside its final name and renamed into place once complete, a
//! database is written in one transaction; either way a copy that fails leaves nothing behind.
//! Every table of the district is carried (the contract tables, the adjustment log, the
//! reviews and decisions, the settings), in an order that satisfies every reference, with
//! each row's id; afterwards each table's row count is compared on both sides before the
//! target is committed. A value the target cannot hold exactly (a number stored as text
//! another tool wrote in the file where PostgreSQL keeps whole numbers, a blob) stops the copy
//! with the row named.

use super::pg::{self, PgStore, PgUrl, pg_error};
use super::{Access, Store};
use crate::error::{Error, Result};
use rusqlite::types::Value;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Where a district is.
#[derive(Debug, Clone)]
pub enum Place {
    File(PathBuf),
    Server(Box<PgUrl>),
}

impl Place {
    /// `text` as a place: an address (`postgres://…`, given on the command line) or a file.
    pub fn parse(text: &str, given: pg::Given) -> Result<Place> {
        if pg::is_pg_url(text) {
            Ok(Place::Server(Box::new(PgUrl::parse(text, given)?)))
        } else {
            Ok(Place::File(PathBuf::from(text)))
        }
    }

    /// The place as messages show it (an address without its password).
    pub fn shown(&self) -> String {
        match self {
            Place::File(path) => crate::text::visible(&path.display().to_string()),
            Place::Server(url) => url.shown().to_string(),
        }
    }
}

/// Every table a copy carries, parents before children.
pub const TABLES: &[&str] = &[
    "street",
    "community",
    "unit",
    "contract",
    "need",
    "resource",
    "project",
    "activity",
    "meeting",
    "setting",
    "survey",
    "member",
    "service",
    "assessment",
    "adjustment",
    "review",
    "review_item",
    "decision",
];

/// What a copy carried: each table and its rows (the same on both sides).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Copied {
    pub tables: Vec<(&'static str, u64)>,
    /// What the caller's check said of the source, read in the snapshot the rows were copied
    /// from (another terminal's later write does not change it).
    pub source_check: String,
}

/// A check of the source (the caller's JSON report), run in the copy's snapshot.
pub type SourceCheck<'a> = &'a dyn Fn(&dyn super::rows::Source) -> Result<String>;

/// Copies the district at `from` into `to`, then runs `check` on the source in the same
/// snapshot. See the module's description.
pub fn copy(from: &Place, to: &Place, check: SourceCheck<'_>) -> Result<Copied> {
    let mut source = Side::open_source(from)?;
    source.begin()?;
    let mut copied = copy_into(&mut source, to)?;
    copied.source_check = source.check(check)?;
    source.end()?;
    Ok(copied)
}

fn copy_into(source: &mut Side, to: &Place) -> Result<Copied> {
    match to {
        Place::File(path) => {
            let mut copied = None;
            if path.exists() {
                let mut target = Store::open(path, Access::ReadWrite)?;
                check_empty_file(&target, path)?;
                copied = Some(
                    target.write(|tx| super::summary::bulk_load(tx, || fill_file(source, tx)))?,
                );
            } else {
                crate::files::create_new_with(path, |temp| {
                    let mut target = Store::create(temp)?;
                    copied = Some(
                        target
                            .write(|tx| super::summary::bulk_load(tx, || fill_file(source, tx)))?,
                    );
                    target.close()
                })?;
            }
            copied.ok_or_else(|| Error::plain("未复制", "nothing copied"))
        }
        Place::Server(url) => {
            let mut target = match PgStore::create(url) {
                Ok(store) => store,
                Err(_) if !is_empty_db(url)? => PgStore::open(url, Access::ReadWrite)?,
                Err(e) => return Err(e),
            };
            check_empty_server(&mut target)?;
            let url = url.clone();
            let client = target.client();
            let mut tx = client.transaction().map_err(|e| pg_error(&url, e))?;
            let copied = fill_server(source, &mut tx, &url)?;
            tx.commit().map_err(|e| pg_error(&url, e))?;
            Ok(copied)
        }
    }
}

/// Whether the database holds no table at all (then `PgStore::create` failed for a reason of
/// its own, which is the one to report).
fn is_empty_db(url: &PgUrl) -> Result<bool> {
    let mut client = pg::connect(url)?;
    pg::is_empty(&mut client).map_err(|e| pg_error(url, e))
}

fn not_empty(shown: &str, table: &str, rows: u64) -> Error {
    Error::plain(
        format!(
            "目标 {shown} 不是空的（{table} 表有 {rows} 行），不会复制到其中；未作任何改动。请用新文件名或空数据库"
        ),
        format!(
            "the target {shown} is not empty ({table} holds {rows} rows), so nothing is copied into it; nothing was changed. Use a new file name or an empty database"
        ),
    )
}

fn check_empty_file(store: &Store, path: &Path) -> Result<()> {
    let shown = crate::text::visible(&path.display().to_string());
    for table in TABLES {
        if !super::migrate::table_exists(store.conn(), table)? {
            continue;
        }
        let rows: i64 =
            store
                .conn()
                .query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                    r.get(0)
                })?;
        if rows > 0 {
            return Err(not_empty(&shown, table, rows as u64));
        }
    }
    Ok(())
}

fn check_empty_server(store: &mut PgStore) -> Result<()> {
    let url = store.url().clone();
    for table in TABLES {
        let rows: i64 = store
            .client()
            .query_one(&format!("SELECT count(*) FROM \"{table}\""), &[])
            .map_err(|e| pg_error(&url, e))?
            .get(0);
        if rows > 0 {
            return Err(not_empty(url.shown(), table, rows as u64));
        }
    }
    Ok(())
}

/// The source, opened read-only.
enum Side {
    File(Store),
    Server(Box<PgStore>),
}

/// A column of the source: its name, and (on PostgreSQL) whether it holds whole numbers.
struct Column {
    name: String,
    integer: bool,
}

impl Side {
    /// Begins the one snapshot every read of the copy comes from.
    fn begin(&mut self) -> Result<()> {
        match self {
            Side::File(store) => Ok(store.conn().execute_batch("BEGIN")?),
            Side::Server(store) => {
                let url = store.url().clone();
                store
                    .client()
                    .batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .map_err(|e| pg_error(&url, e))
            }
        }
    }

    fn end(&mut self) -> Result<()> {
        match self {
            Side::File(store) => Ok(store.conn().execute_batch("COMMIT")?),
            Side::Server(store) => {
                let url = store.url().clone();
                store
                    .client()
                    .batch_execute("COMMIT")
                    .map_err(|e| pg_error(&url, e))
            }
        }
    }

    fn check(&mut self, check: SourceCheck<'_>) -> Result<String> {
        match self {
            Side::File(store) => check(store.conn()),
            Side::Server(store) => {
                let url = store.url().clone();
                let source = super::rows::PgSource::new(store.client(), url);
                check(&source)
            }
        }
    }

    fn open_source(place: &Place) -> Result<Side> {
        Ok(match place {
            Place::File(path) => Side::File(Store::open(path, Access::ReadOnly)?),
            Place::Server(url) => Side::Server(Box::new(PgStore::open(url, Access::ReadOnly)?)),
        })
    }

    /// The source's columns of `table` (empty when it has no such table).
    fn columns(&mut self, table: &str) -> Result<Vec<Column>> {
        match self {
            Side::File(store) => {
                let mut stmt = store
                    .conn()
                    .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
                let names = stmt
                    .query_map([], |r| r.get::<_, String>(0))?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(names
                    .into_iter()
                    .map(|name| Column {
                        name,
                        integer: false,
                    })
                    .collect())
            }
            Side::Server(store) => {
                let url = store.url().clone();
                Ok(store
                    .client()
                    .query(
                        "SELECT column_name::text, data_type::text FROM information_schema.columns
                          WHERE table_schema = current_schema() AND table_name = $1
                          ORDER BY ordinal_position",
                        &[&table],
                    )
                    .map_err(|e| pg_error(&url, e))?
                    .iter()
                    .map(|r| Column {
                        name: r.get(0),
                        integer: matches!(
                            r.get::<_, String>(1).as_str(),
                            "bigint" | "integer" | "smallint"
                        ),
                    })
                    .collect())
            }
        }
    }

    /// Every row of `table`'s `columns`, in key order, handed to `each`.
    fn rows(
        &mut self,
        table: &str,
        columns: &[&Column],
        each: &mut dyn FnMut(&[Value]) -> Result<()>,
    ) -> Result<()> {
        let key = if table == "setting" { "key" } else { "id" };
        match self {
            Side::File(store) => {
                let list: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
                let sql = format!(
                    "SELECT {} FROM \"{table}\" ORDER BY \"{key}\"",
                    list.join(", ")
                );
                let mut stmt = store.conn().prepare(&sql)?;
                let mut rows = stmt.query([])?;
                let mut values = Vec::with_capacity(columns.len());
                while let Some(row) = rows.next()? {
                    values.clear();
                    for i in 0..columns.len() {
                        values.push(row.get::<_, Value>(i)?);
                    }
                    each(&values)?;
                }
                Ok(())
            }
            Side::Server(store) => {
                let url = store.url().clone();
                let list: Vec<String> = columns
                    .iter()
                    .map(|c| {
                        if c.integer {
                            format!("{}::bigint", quote(&c.name))
                        } else {
                            format!("{}::text", quote(&c.name))
                        }
                    })
                    .collect();
                let sql = format!(
                    "SELECT {} FROM \"{table}\" ORDER BY \"{key}\"",
                    list.join(", ")
                );
                // Inside the snapshot `begin` opened.
                let mut rows = store
                    .client()
                    .query_raw(sql.as_str(), std::iter::empty::<&str>())
                    .map_err(|e| pg_error(&url, e))?;
                let mut values = Vec::with_capacity(columns.len());
                use postgres::fallible_iterator::FallibleIterator as _;
                while let Some(row) = rows.next().map_err(|e| pg_error(&url, e))? {
                    values.clear();
                    for (i, c) in columns.iter().enumerate() {
                        values.push(if c.integer {
                            row.get::<_, Option<i64>>(i)
                                .map_or(Value::Null, Value::Integer)
                        } else {
                            row.get::<_, Option<String>>(i)
                                .map_or(Value::Null, Value::Text)
                        });
                    }
                    each(&values)?;
                }
                Ok(())
            }
        }
    }

    fn count(&mut self, table: &str) -> Result<u64> {
        let sql = format!("SELECT count(*) FROM \"{table}\"");
        let n: i64 = match self {
            Side::File(store) => store.conn().query_row(&sql, [], |r| r.get(0))?,
            Side::Server(store) => {
                let url = store.url().clone();
                store
                    .client()
                    .query_one(&sql, &[])
                    .map_err(|e| pg_error(&url, e))?
                    .get(0)
            }
        };
        Ok(n.max(0) as u64)
    }
}

fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The columns the copy carries for `table`: the target's that the source has too (the target
/// gives the others their default).
fn shared<'a>(source: &'a [Column], target: &[String]) -> Vec<&'a Column> {
    source
        .iter()
        .filter(|c| target.iter().any(|t| t.eq_ignore_ascii_case(&c.name)))
        .collect()
}

fn counts_differ(table: &str, source: u64, target: u64) -> Error {
    Error::plain(
        format!(
            "复制后 {table} 表的行数不一致（源 {source} 行，目标 {target} 行）；已撤销，未作任何改动"
        ),
        format!(
            "after the copy, table {table} has {target} rows in the target but {source} in the source; undone, nothing was changed"
        ),
    )
}

/// Copies every table into the new file's transaction.
fn fill_file(source: &mut Side, tx: &rusqlite::Transaction) -> Result<Copied> {
    let mut tables = Vec::new();
    for table in TABLES {
        let target_columns: Vec<String> = {
            let mut stmt = tx.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?;
            stmt.query_map([], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<_>>()?
        };
        let source_columns = source.columns(table)?;
        let columns = shared(&source_columns, &target_columns);
        if !columns.is_empty() {
            let names: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
            let marks: Vec<String> = (1..=columns.len()).map(|i| format!("?{i}")).collect();
            let sql = format!(
                "INSERT INTO \"{table}\" ({}) VALUES ({})",
                names.join(", "),
                marks.join(", ")
            );
            let mut stmt = tx.prepare(&sql)?;
            source.rows(table, &columns, &mut |values| {
                stmt.execute(rusqlite::params_from_iter(values.iter()))?;
                Ok(())
            })?;
        }
        let (from, to) = (
            source.count(table).unwrap_or(0),
            tx.query_row(&format!("SELECT count(*) FROM \"{table}\""), [], |r| {
                r.get::<_, i64>(0)
            })? as u64,
        );
        if !columns.is_empty() && from != to {
            return Err(counts_differ(table, from, to));
        }
        tables.push((*table, to));
    }
    Ok(Copied {
        tables,
        source_check: String::new(),
    })
}

/// Copies every table into the database's transaction, through `COPY … FROM STDIN`.
fn fill_server(
    source: &mut Side,
    tx: &mut postgres::Transaction<'_>,
    url: &PgUrl,
) -> Result<Copied> {
    let err = |e| pg_error(url, e);
    let mut tables = Vec::new();
    for table in TABLES {
        let target: Vec<(String, bool)> = tx
            .query(
                "SELECT column_name::text, data_type::text FROM information_schema.columns
                  WHERE table_schema = current_schema() AND table_name = $1
                  ORDER BY ordinal_position",
                &[table],
            )
            .map_err(err)?
            .iter()
            .map(|r| {
                let kind: String = r.get(1);
                (
                    r.get(0),
                    matches!(kind.as_str(), "bigint" | "integer" | "smallint"),
                )
            })
            .collect();
        let names: Vec<String> = target.iter().map(|(n, _)| n.clone()).collect();
        let source_columns = source.columns(table)?;
        let columns = shared(&source_columns, &names);
        if columns.is_empty() {
            tables.push((*table, 0));
            continue;
        }
        let integer: Vec<bool> = columns
            .iter()
            .map(|c| {
                target
                    .iter()
                    .find(|(n, _)| n.eq_ignore_ascii_case(&c.name))
                    .is_some_and(|(_, i)| *i)
            })
            .collect();
        let list: Vec<String> = columns.iter().map(|c| quote(&c.name)).collect();
        let mut writer = tx
            .copy_in(&format!(
                "COPY \"{table}\" ({}) FROM STDIN",
                list.join(", ")
            ))
            .map_err(err)?;
        let mut line = String::new();
        let io = |e: std::io::Error| {
            Error::plain(
                format!("向 {} 写入时出错：{e}", url.shown()),
                format!("writing to {} failed: {e}", url.shown()),
            )
        };
        source.rows(table, &columns, &mut |values| {
            line.clear();
            for (i, value) in values.iter().enumerate() {
                if i > 0 {
                    line.push('\t');
                }
                let column = columns[i].name.as_str();
                copy_field(&mut line, value, integer[i])
                    .map_err(|why| unfit(table, values, column, value, why))?;
            }
            line.push('\n');
            writer.write_all(line.as_bytes()).map_err(io)
        })?;
        writer.finish().map_err(err)?;
        if target.iter().any(|(n, _)| n == "id") {
            tx.execute(
                &format!(
                    "SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), coalesce(max(id), 0) + 1, false) FROM \"{table}\"
                      WHERE pg_get_serial_sequence('\"{table}\"', 'id') IS NOT NULL"
                ),
                &[],
            )
            .map_err(err)?;
        }
        let to: i64 = tx
            .query_one(&format!("SELECT count(*) FROM \"{table}\""), &[])
            .map_err(err)?
            .get(0);
        let from = source.count(table)?;
        if from != to as u64 {
            return Err(counts_differ(table, from, to as u64));
        }
        tables.push((*table, from));
    }
    Ok(Copied {
        tables,
        source_check: String::new(),
    })
}

/// Why a value cannot go into a PostgreSQL column exactly.
enum Unfit {
    NotWhole,
    Blob,
    Nul,
}

/// Appends `value` to a line of `COPY`'s text format.
fn copy_field(line: &mut String, value: &Value, integer: bool) -> std::result::Result<(), Unfit> {
    let text: String = match value {
        Value::Null => {
            line.push_str("\\N");
            return Ok(());
        }
        Value::Integer(i) => i.to_string(),
        Value::Real(f) if integer && f.fract() == 0.0 && f.abs() < 9.0e15 => {
            (*f as i64).to_string()
        }
        Value::Real(_) if integer => return Err(Unfit::NotWhole),
        Value::Real(f) => f.to_string(),
        Value::Text(t) if integer => match t.trim().parse::<i64>() {
            Ok(n) => n.to_string(),
            Err(_) => return Err(Unfit::NotWhole),
        },
        Value::Text(t) => t.clone(),
        Value::Blob(_) => return Err(Unfit::Blob),
    };
    for ch in text.chars() {
        match ch {
            '\0' => return Err(Unfit::Nul),
            '\\' => line.push_str("\\\\"),
            '\n' => line.push_str("\\n"),
            '\r' => line.push_str("\\r"),
            '\t' => line.push_str("\\t"),
            other => line.push(other),
        }
    }
    Ok(())
}

fn unfit(table: &str, values: &[Value], column: &str, value: &Value, why: Unfit) -> Error {
    let row = match values.first() {
        Some(Value::Integer(id)) => id.to_string(),
        Some(Value::Text(key)) => crate::text::visible(key),
        _ => "?".to_string(),
    };
    let shown = match value {
        Value::Blob(b) => format!(
            "x'{}'",
            b.iter()
                .take(16)
                .map(|x| format!("{x:02x}"))
                .collect::<String>()
        ),
        other => crate::text::visible(&super::rows::as_text(other.into()).unwrap_or_default()),
    };
    let (zh, en) = match why {
        Unfit::NotWhole => (
            "PostgreSQL 的整数列存不下它",
            "which PostgreSQL keeps as a whole number",
        ),
        Unfit::Blob => (
            "这是二进制数据，PostgreSQL 的文本列存不下",
            "binary data, which a PostgreSQL text column cannot hold",
        ),
        Unfit::Nul => (
            "其中含有空字符（NUL），PostgreSQL 存不下",
            "it holds a NUL character, which PostgreSQL cannot store",
        ),
    };
    Error::plain(
        format!(
            "{table} 表第 {row} 行的 {column} 列是 {shown}，{zh}；请先在文件中改正这一行。未复制任何内容"
        ),
        format!(
            "row {row} of table {table} holds {shown} in column {column}, {en}; correct that row in the file first. Nothing was copied"
        ),
    )
}
