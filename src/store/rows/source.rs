//! What the row readers read from: either engine, through one small interface.
//!
//! A reader writes its SQL once, in SQLite's dialect, with plain parameters ([`Param`]), and maps
//! each result row through [`super::Cells`], which reads any engine's cell as one of SQLite's
//! value kinds ([`CellRow`]). On PostgreSQL the SQL is translated ([`translate`]): numbered
//! parameters, and the clauses that only exist for SQLite's loose typing (a date stored as a
//! blob, an id stored as text: PostgreSQL's typed columns cannot hold them) dropped.

use crate::error::Result;
use rusqlite::types::{Value, ValueRef};
use std::cell::RefCell;

/// One result row, as SQLite's value kinds.
pub trait CellRow {
    fn value(&self, idx: usize) -> rusqlite::Result<ValueRef<'_>>;
}

impl CellRow for rusqlite::Row<'_> {
    fn value(&self, idx: usize) -> rusqlite::Result<ValueRef<'_>> {
        self.get_ref(idx)
    }
}

/// A row read from another engine, held as owned values.
pub struct OwnedRow(pub Vec<Value>);

impl CellRow for OwnedRow {
    fn value(&self, idx: usize) -> rusqlite::Result<ValueRef<'_>> {
        self.0
            .get(idx)
            .map(ValueRef::from)
            .ok_or(rusqlite::Error::InvalidColumnIndex(idx))
    }
}

/// A parameter of a reader's query.
#[derive(Debug, Clone, PartialEq)]
pub enum Param<'a> {
    Int(i64),
    Text(&'a str),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}

/// Something the readers can query: an SQLite connection (or transaction), or a PostgreSQL
/// read transaction.
pub trait Source {
    /// Runs `sql` with `params`, handing each row to `each`.
    fn each_row(
        &self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn CellRow) -> rusqlite::Result<()>,
    ) -> Result<()>;

    /// Whether `table` has `column` (false when there is no such table).
    fn has_column(&self, table: &str, column: &str) -> Result<bool>;

    /// Whether `table` exists.
    fn has_table(&self, table: &str) -> Result<bool>;

    /// The SQLite connection, when this is one: for the paths only SQLite has (the summaries).
    fn sqlite(&self) -> Option<&rusqlite::Connection>;
}

fn bind<'p>(params: &'p [Param<'_>]) -> Vec<&'p dyn rusqlite::ToSql> {
    params
        .iter()
        .map(|p| match p {
            Param::Int(i) => i as &dyn rusqlite::ToSql,
            Param::Text(t) => t as &dyn rusqlite::ToSql,
        })
        .collect()
}

impl Source for rusqlite::Connection {
    fn each_row(
        &self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn CellRow) -> rusqlite::Result<()>,
    ) -> Result<()> {
        let mut stmt = self.prepare_cached(sql)?;
        let mut rows = stmt.query(bind(params).as_slice())?;
        while let Some(row) = rows.next()? {
            each(row)?;
        }
        Ok(())
    }

    fn has_column(&self, table: &str, column: &str) -> Result<bool> {
        crate::store::migrate::column_exists(self, table, column)
    }

    fn has_table(&self, table: &str) -> Result<bool> {
        crate::store::migrate::table_exists(self, table)
    }

    fn sqlite(&self) -> Option<&rusqlite::Connection> {
        Some(self)
    }
}

impl Source for rusqlite::Transaction<'_> {
    fn each_row(
        &self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn CellRow) -> rusqlite::Result<()>,
    ) -> Result<()> {
        (**self).each_row(sql, params, each)
    }

    fn has_column(&self, table: &str, column: &str) -> Result<bool> {
        (**self).has_column(table, column)
    }

    fn has_table(&self, table: &str) -> Result<bool> {
        (**self).has_table(table)
    }

    fn sqlite(&self) -> Option<&rusqlite::Connection> {
        Some(self)
    }
}

/// What [`PgSource`] queries through: a PostgreSQL transaction, or a client inside a
/// transaction it began itself (`copy` holds one snapshot across its reads that way).
pub trait PgQuery {
    fn prepare_sql(
        &mut self,
        sql: &str,
    ) -> std::result::Result<postgres::Statement, postgres::Error>;
    fn rows<'s>(
        &'s mut self,
        stmt: &postgres::Statement,
        params: Vec<&(dyn postgres::types::ToSql + Sync)>,
    ) -> std::result::Result<postgres::RowIter<'s>, postgres::Error>;
}

impl PgQuery for postgres::Client {
    fn prepare_sql(
        &mut self,
        sql: &str,
    ) -> std::result::Result<postgres::Statement, postgres::Error> {
        self.prepare(sql)
    }

    fn rows<'s>(
        &'s mut self,
        stmt: &postgres::Statement,
        params: Vec<&(dyn postgres::types::ToSql + Sync)>,
    ) -> std::result::Result<postgres::RowIter<'s>, postgres::Error> {
        self.query_raw(stmt, params)
    }
}

impl PgQuery for postgres::Transaction<'_> {
    fn prepare_sql(
        &mut self,
        sql: &str,
    ) -> std::result::Result<postgres::Statement, postgres::Error> {
        self.prepare(sql)
    }

    fn rows<'s>(
        &'s mut self,
        stmt: &postgres::Statement,
        params: Vec<&(dyn postgres::types::ToSql + Sync)>,
    ) -> std::result::Result<postgres::RowIter<'s>, postgres::Error> {
        self.query_raw(stmt, params)
    }
}

/// A PostgreSQL read transaction the readers read from (see
/// [`crate::store::pg::PgStore::read`]).
pub struct PgSource<'t> {
    tx: RefCell<&'t mut dyn PgQuery>,
    url: crate::store::pg::PgUrl,
}

impl<'t> PgSource<'t> {
    pub fn new(tx: &'t mut dyn PgQuery, url: crate::store::pg::PgUrl) -> Self {
        PgSource {
            tx: RefCell::new(tx),
            url,
        }
    }

    /// The first row of `sql` (PostgreSQL's own SQL, no parameters), if any.
    fn exists(&self, sql: &str, params: Vec<&(dyn postgres::types::ToSql + Sync)>) -> Result<bool> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let err = |e| crate::store::pg::pg_error(&self.url, e);
        let mut tx = self.tx.borrow_mut();
        let stmt = tx.prepare_sql(sql).map_err(err)?;
        let mut rows = tx.rows(&stmt, params).map_err(err)?;
        Ok(rows.next().map_err(err)?.is_some())
    }
}

impl Source for PgSource<'_> {
    fn each_row(
        &self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn CellRow) -> rusqlite::Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator as _;
        use postgres::types::{ToSql, Type};
        let sql = translate(sql);
        let err = |e| crate::store::pg::pg_error(&self.url, e);
        let bound: Vec<&(dyn ToSql + Sync)> = params
            .iter()
            .map(|p| match p {
                Param::Int(i) => i as &(dyn ToSql + Sync),
                Param::Text(t) => t as &(dyn ToSql + Sync),
            })
            .collect();
        let mut tx = self.tx.borrow_mut();
        let stmt = tx.prepare_sql(&sql).map_err(err)?;
        let kinds: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
        let mut rows = tx.rows(&stmt, bound).map_err(err)?;
        let mut values = OwnedRow(Vec::with_capacity(kinds.len()));
        while let Some(row) = rows.next().map_err(err)? {
            values.0.clear();
            for (i, kind) in kinds.iter().enumerate() {
                values.0.push(pg_value(&row, i, kind).map_err(err)?);
            }
            each(&values)?;
        }
        Ok(())
    }

    fn has_column(&self, table: &str, column: &str) -> Result<bool> {
        self.exists(
            "SELECT 1 FROM information_schema.columns
              WHERE table_schema = current_schema() AND table_name = $1
                AND lower(column_name) = lower($2)",
            vec![&table, &column],
        )
    }

    fn has_table(&self, table: &str) -> Result<bool> {
        self.exists(
            "SELECT 1 FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_name = $1",
            vec![&table],
        )
    }

    fn sqlite(&self) -> Option<&rusqlite::Connection> {
        None
    }
}

/// A PostgreSQL cell as one of SQLite's value kinds.
fn pg_value(
    row: &postgres::Row,
    idx: usize,
    kind: &postgres::types::Type,
) -> std::result::Result<Value, postgres::Error> {
    use postgres::types::Type;
    Ok(match *kind {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(idx)?
            .map_or(Value::Null, Value::Integer),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(idx)?
            .map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(idx)?
            .map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(idx)?
            .map_or(Value::Null, |v| Value::Integer(v.into())),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(idx)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(idx)?
            .map_or(Value::Null, |v| Value::Real(v.into())),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(idx)?
            .map_or(Value::Null, Value::Blob),
        _ => row
            .try_get::<_, Option<String>>(idx)?
            .map_or(Value::Null, Value::Text),
    })
}

/// A reader's SQLite SQL as PostgreSQL reads it: `?N` becomes `$N`; `WHERE 1` becomes
/// `WHERE TRUE`; `+column` (a hint to SQLite's planner) becomes `column`; and the clauses that
/// find values only SQLite's loose typing can hold (`OR c >= x''`, a blob where a date should
/// be; `OR c >= ''`, text where an id should be) are dropped: PostgreSQL's typed columns never
/// hold them.
pub fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let bytes = sql.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let rest = &sql[i..];
        if let Some(len) = loose_clause(rest) {
            i += len;
            continue;
        }
        let c = bytes[i];
        if c == b'?' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            out.push('$');
            i += 1;
            continue;
        }
        if c == b'+'
            && bytes
                .get(i + 1)
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
            && (i == 0 || matches!(bytes[i - 1], b' ' | b'('))
        {
            i += 1;
            continue;
        }
        if rest.starts_with("WHERE 1 ") || rest == "WHERE 1" || rest.starts_with("WHERE 1)") {
            out.push_str("WHERE TRUE");
            i += "WHERE 1".len();
            continue;
        }
        let ch = rest.chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// The length of ` OR column >= x''` or ` OR column >= ''` at the start of `rest`, if there.
fn loose_clause(rest: &str) -> Option<usize> {
    let after_or = rest.strip_prefix(" OR ")?;
    let name_len = after_or
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '+'))?;
    let tail = &after_or[name_len..];
    for suffix in [" >= x''", " >= ''"] {
        if tail.starts_with(suffix) {
            return Some(" OR ".len() + name_len + suffix.len());
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::translate;

    #[test]
    fn sqlite_sql_reads_as_postgresql() {
        assert_eq!(
            translate(
                "SELECT a FROM t WHERE (community_id = 4 OR community_id >= '') AND +held_on BETWEEN ?1 AND ?2"
            ),
            "SELECT a FROM t WHERE (community_id = 4) AND held_on BETWEEN $1 AND $2"
        );
        assert_eq!(
            translate(
                "SELECT a FROM t WHERE 1 AND (held_on BETWEEN ?1 AND ?2 OR held_on >= x'') ORDER BY id"
            ),
            "SELECT a FROM t WHERE TRUE AND (held_on BETWEEN $1 AND $2) ORDER BY id"
        );
        assert_eq!(
            translate("SELECT a FROM t WHERE 1 ORDER BY id"),
            "SELECT a FROM t WHERE TRUE ORDER BY id"
        );
        assert_eq!(
            translate("SELECT '共建' FROM t WHERE 1"),
            "SELECT '共建' FROM t WHERE TRUE"
        );
        assert_eq!(translate("SELECT a + b FROM t"), "SELECT a + b FROM t");
    }
}
