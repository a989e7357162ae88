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

/// A parameter of a reader's query or a writer's statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Param<'a> {
    Int(i64),
    Text(&'a str),
    Real(f64),
    Null,
}

impl From<Option<i64>> for Param<'_> {
    fn from(v: Option<i64>) -> Self {
        v.map_or(Param::Null, Param::Int)
    }
}

impl<'a> From<Option<&'a str>> for Param<'a> {
    fn from(v: Option<&'a str>) -> Self {
        v.map_or(Param::Null, Param::Text)
    }
}

impl<'a> From<&'a Option<String>> for Param<'a> {
    fn from(v: &'a Option<String>) -> Self {
        v.as_deref().into()
    }
}

impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}

impl<'a> From<&'a rusqlite::types::Value> for Param<'a> {
    /// A value as SQLite holds it (a blob, which no writer stores, goes as NULL).
    fn from(v: &'a rusqlite::types::Value) -> Self {
        use rusqlite::types::Value as V;
        match v {
            V::Null | V::Blob(_) => Param::Null,
            V::Integer(i) => Param::Int(*i),
            V::Real(f) => Param::Real(*f),
            V::Text(t) => Param::Text(t),
        }
    }
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

/// Something the writers write through, inside the store's one write transaction: an SQLite
/// transaction (or, in tests, a connection), or a PostgreSQL SERIALIZABLE transaction (see
/// [`crate::store::pg::PgStore::write`]). Statements are written once in SQLite's dialect with
/// `?N` parameters, translated for PostgreSQL as the readers' are ([`translate`]); SQL that
/// differs more between the engines asks [`Source::sqlite`] which one it runs on.
pub trait Writer: Source {
    /// Runs one statement; the number of rows it changed.
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<usize>;

    /// Runs one `INSERT` of one row; the new row's id (`last_insert_rowid` on SQLite,
    /// `RETURNING id` on PostgreSQL).
    fn insert(&self, sql: &str, params: &[Param<'_>]) -> Result<i64>;
}

impl dyn CellRow + '_ {
    /// Column `idx` as `T`, strictly as rusqlite reads it (for the program's own tables; the
    /// contract's tables are read tolerantly through [`super::Cells`]).
    pub fn get<T: rusqlite::types::FromSql>(&self, idx: usize) -> rusqlite::Result<T> {
        let value = self.value(idx)?;
        T::column_result(value).map_err(|e| match e {
            rusqlite::types::FromSqlError::InvalidType => {
                rusqlite::Error::InvalidColumnType(idx, String::new(), value.data_type())
            }
            other => {
                rusqlite::Error::FromSqlConversionFailure(idx, value.data_type(), Box::new(other))
            }
        })
    }
}

/// The first row of `sql`, mapped by `map`; `None` when there is none.
pub fn query_one<T>(
    conn: &dyn Source,
    sql: &str,
    params: &[Param<'_>],
    map: impl FnOnce(&dyn CellRow) -> rusqlite::Result<T>,
) -> Result<Option<T>> {
    let mut map = Some(map);
    let mut out = None;
    conn.each_row(sql, params, &mut |row| {
        if let Some(map) = map.take() {
            out = Some(map(row)?);
        }
        Ok(())
    })?;
    Ok(out)
}

/// Every row of `sql`, mapped by `map`.
pub fn query_all<T>(
    conn: &dyn Source,
    sql: &str,
    params: &[Param<'_>],
    mut map: impl FnMut(&dyn CellRow) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut out = Vec::new();
    conn.each_row(sql, params, &mut |row| {
        out.push(map(row)?);
        Ok(())
    })?;
    Ok(out)
}

/// Parameters written for rusqlite (`&[&dyn ToSql]`) as owned values, for [`Param::from`].
pub fn owned(params: &[&dyn rusqlite::ToSql]) -> Result<Vec<Value>> {
    use rusqlite::types::ToSqlOutput;
    params
        .iter()
        .map(|p| {
            Ok(match p.to_sql()? {
                ToSqlOutput::Borrowed(v) => Value::from(v),
                ToSqlOutput::Owned(v) => v,
                _ => Value::Null,
            })
        })
        .collect()
}

/// Whether `sql` finds a row.
pub fn exists(conn: &dyn Source, sql: &str, params: &[Param<'_>]) -> Result<bool> {
    Ok(query_one(conn, sql, params, |_| Ok(()))?.is_some())
}

fn bind<'p>(params: &'p [Param<'_>]) -> Vec<&'p dyn rusqlite::ToSql> {
    params
        .iter()
        .map(|p| match p {
            Param::Int(i) => i as &dyn rusqlite::ToSql,
            Param::Text(t) => t as &dyn rusqlite::ToSql,
            Param::Real(f) => f as &dyn rusqlite::ToSql,
            Param::Null => &rusqlite::types::Null as &dyn rusqlite::ToSql,
        })
        .collect()
}

impl Writer for rusqlite::Connection {
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<usize> {
        Ok(self.prepare_cached(sql)?.execute(bind(params).as_slice())?)
    }

    fn insert(&self, sql: &str, params: &[Param<'_>]) -> Result<i64> {
        self.prepare_cached(sql)?.execute(bind(params).as_slice())?;
        Ok(self.last_insert_rowid())
    }
}

impl Writer for rusqlite::Transaction<'_> {
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<usize> {
        Writer::execute(&**self, sql, params)
    }

    fn insert(&self, sql: &str, params: &[Param<'_>]) -> Result<i64> {
        (**self).insert(sql, params)
    }
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
    fn exec(
        &mut self,
        stmt: &postgres::Statement,
        params: Vec<&(dyn postgres::types::ToSql + Sync)>,
    ) -> std::result::Result<u64, postgres::Error>;
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

    fn exec(
        &mut self,
        stmt: &postgres::Statement,
        params: Vec<&(dyn postgres::types::ToSql + Sync)>,
    ) -> std::result::Result<u64, postgres::Error> {
        self.execute(stmt, &params)
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

    fn exec(
        &mut self,
        stmt: &postgres::Statement,
        params: Vec<&(dyn postgres::types::ToSql + Sync)>,
    ) -> std::result::Result<u64, postgres::Error> {
        self.execute(stmt, &params)
    }
}

/// A PostgreSQL transaction the readers read from (see
/// [`crate::store::pg::PgStore::read`]) and the writers write through (see
/// [`crate::store::pg::PgStore::write`]).
pub struct PgSource<'t> {
    tx: RefCell<&'t mut dyn PgQuery>,
    url: crate::store::pg::PgUrl,
    /// Statements prepared in this transaction, by their SQL (an import runs one statement
    /// for thousands of rows).
    prepared: RefCell<std::collections::HashMap<String, postgres::Statement>>,
}

/// A parameter bound as the type the server inferred for it.
type Bound = Box<dyn postgres::types::ToSql + Sync>;

impl<'t> PgSource<'t> {
    pub fn new(tx: &'t mut dyn PgQuery, url: crate::store::pg::PgUrl) -> Self {
        PgSource {
            tx: RefCell::new(tx),
            url,
            prepared: RefCell::new(std::collections::HashMap::new()),
        }
    }

    fn err(&self, e: postgres::Error) -> crate::error::Error {
        crate::store::pg::pg_error(&self.url, e)
    }

    /// The first row of `sql` (PostgreSQL's own SQL, no parameters), if any.
    fn exists(&self, sql: &str, params: Vec<&(dyn postgres::types::ToSql + Sync)>) -> Result<bool> {
        use postgres::fallible_iterator::FallibleIterator as _;
        let mut tx = self.tx.borrow_mut();
        let stmt = tx.prepare_sql(sql).map_err(|e| self.err(e))?;
        let mut rows = tx.rows(&stmt, params).map_err(|e| self.err(e))?;
        Ok(rows.next().map_err(|e| self.err(e))?.is_some())
    }

    /// `sql` (already PostgreSQL's) prepared once per transaction, and `params` bound as the
    /// types the server inferred for them.
    fn prepare(
        &self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<(postgres::Statement, Vec<Bound>)> {
        let cached = self.prepared.borrow().get(sql).cloned();
        let stmt = match cached {
            Some(stmt) => stmt,
            None => {
                let stmt = self
                    .tx
                    .borrow_mut()
                    .prepare_sql(sql)
                    .map_err(|e| self.err(e))?;
                self.prepared
                    .borrow_mut()
                    .insert(sql.to_string(), stmt.clone());
                stmt
            }
        };
        let bound = params
            .iter()
            .zip(stmt.params())
            .map(|(p, ty)| pg_param(p, ty))
            .collect::<Result<Vec<_>>>()?;
        Ok((stmt, bound))
    }
}

/// A parameter as the PostgreSQL type the statement wants at its place: whole numbers as
/// `bigint`/`integer`/…, text as text, and a number where text is wanted as its digits, as
/// SQLite would store it.
fn pg_param(param: &Param<'_>, ty: &postgres::types::Type) -> Result<Bound> {
    use postgres::types::Type;
    let refuse = || {
        crate::error::Error::plain(
            format!(
                "数据库的这一列（{}）不能存放值 {param:?}；未写入任何内容",
                ty.name()
            ),
            format!(
                "a column of type {} cannot hold the value {param:?}; nothing was written",
                ty.name()
            ),
        )
    };
    let int = |i: i64| -> Result<Bound> {
        Ok(match *ty {
            Type::INT8 => Box::new(i),
            Type::INT4 => Box::new(i32::try_from(i).map_err(|_| refuse())?),
            Type::INT2 => Box::new(i16::try_from(i).map_err(|_| refuse())?),
            Type::FLOAT8 => Box::new(i as f64),
            Type::FLOAT4 => Box::new(i as f32),
            Type::BOOL => Box::new(i != 0),
            _ => Box::new(i.to_string()),
        })
    };
    Ok(match param {
        Param::Null => match *ty {
            Type::INT8 => Box::new(None::<i64>),
            Type::INT4 => Box::new(None::<i32>),
            Type::INT2 => Box::new(None::<i16>),
            Type::FLOAT8 => Box::new(None::<f64>),
            Type::FLOAT4 => Box::new(None::<f32>),
            Type::BOOL => Box::new(None::<bool>),
            Type::BYTEA => Box::new(None::<Vec<u8>>),
            _ => Box::new(None::<String>),
        },
        Param::Int(i) => int(*i)?,
        Param::Real(f) => match *ty {
            Type::FLOAT8 => Box::new(*f),
            Type::FLOAT4 => Box::new(*f as f32),
            Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL
                if f.fract() == 0.0 && f.abs() < 9.0e15 =>
            {
                int(*f as i64)?
            }
            Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL => return Err(refuse()),
            _ => Box::new(f.to_string()),
        },
        Param::Text(t) => match *ty {
            Type::INT8 | Type::INT4 | Type::INT2 | Type::BOOL => {
                int(t.trim().parse().map_err(|_| refuse())?)?
            }
            Type::FLOAT8 | Type::FLOAT4 => {
                let f: f64 = t.trim().parse().map_err(|_| refuse())?;
                if *ty == Type::FLOAT8 {
                    Box::new(f)
                } else {
                    Box::new(f as f32)
                }
            }
            _ => Box::new(t.to_string()),
        },
    })
}

impl Source for PgSource<'_> {
    fn each_row(
        &self,
        sql: &str,
        params: &[Param<'_>],
        each: &mut dyn FnMut(&dyn CellRow) -> rusqlite::Result<()>,
    ) -> Result<()> {
        use postgres::fallible_iterator::FallibleIterator as _;
        use postgres::types::Type;
        let (stmt, bound) = self.prepare(&translate(sql), params)?;
        let kinds: Vec<Type> = stmt.columns().iter().map(|c| c.type_().clone()).collect();
        let mut tx = self.tx.borrow_mut();
        let mut rows = tx
            .rows(&stmt, bound.iter().map(|b| &**b as _).collect())
            .map_err(|e| self.err(e))?;
        let mut values = OwnedRow(Vec::with_capacity(kinds.len()));
        while let Some(row) = rows.next().map_err(|e| self.err(e))? {
            values.0.clear();
            for (i, kind) in kinds.iter().enumerate() {
                values
                    .0
                    .push(pg_value(&row, i, kind).map_err(|e| self.err(e))?);
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

impl Writer for PgSource<'_> {
    fn execute(&self, sql: &str, params: &[Param<'_>]) -> Result<usize> {
        let (stmt, bound) = self.prepare(&translate(sql), params)?;
        let n = self
            .tx
            .borrow_mut()
            .exec(&stmt, bound.iter().map(|b| &**b as _).collect())
            .map_err(|e| self.err(e))?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    fn insert(&self, sql: &str, params: &[Param<'_>]) -> Result<i64> {
        let sql = format!("{} RETURNING id", translate(sql).trim_end());
        let id = query_one(self, &sql, params, |row| row.get::<i64>(0))?;
        id.ok_or_else(|| {
            crate::error::Error::plain(
                "数据库没有返回新记录的编号；未写入任何内容",
                "the database did not return the new row's id; nothing was written",
            )
        })
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
