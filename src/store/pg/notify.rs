//! Liveness on a server: every commit that changes what the dashboard shows sends
//! `NOTIFY gongjian, '<community id>'` (or `''`: anything can have changed), whoever writes
//! (another gongjian, `psql`, another tool), so that a dashboard listening on its connection
//! re-reads at once what changed. The server delivers a transaction's notifications when it
//! commits, each distinct one once, and none for a transaction rolled back.
//!
//! The file's change counters (`store/changes.rs`) do the same there; like them, the function
//! and triggers here are gongjian's own, made when a district is made or opened for writing and
//! they are missing or differ, without a new schema version (a database that has them is still
//! a version-5 district to every reader). The triggers are statement-level with transition
//! tables: one call per statement (a `COPY` of a million rows costs one), which names the
//! distinct communities of the rows it wrote:
//! - a row of `contract`, `need`, `resource`, `meeting`, `member` (and gongjian's `adjustment`,
//!   `decision`, `review_item`): its `community_id`;
//! - `project`: its community and that of the need it answers;
//! - `activity`, `survey`: the community of its project; `service`: of its member;
//! - `street`, `community`, `unit`, `setting`, `review`, `assessment`, and any `TRUNCATE`:
//!   everything (`''`);
//! - a community that cannot be found (no such project, member or need), or more than
//!   [`MOST_NAMED`] communities in one statement: everything.

use postgres::GenericClient;

/// The channel the dashboard listens on.
pub const CHANNEL: &str = "gongjian";

/// More communities than this in one statement are sent as "everything".
pub const MOST_NAMED: usize = 50;

/// Each table and how its rows name their community (the trigger function's argument).
pub const TABLES: &[(&str, &str)] = &[
    ("street", "everything"),
    ("community", "everything"),
    ("unit", "everything"),
    ("setting", "everything"),
    ("contract", "community"),
    ("need", "community"),
    ("resource", "community"),
    ("meeting", "community"),
    ("member", "community"),
    ("project", "project"),
    ("activity", "project_id"),
    ("survey", "project_id"),
    ("service", "member_id"),
    ("adjustment", "community"),
    ("decision", "community"),
    ("review_item", "community"),
    ("review", "everything"),
    ("assessment", "everything"),
];

/// The trigger function, as `pg_proc.prosrc` keeps its body.
const BODY: &str = r#"
DECLARE
    kind text := TG_ARGV[0];
    rows text;
    found text;
    ids bigint[];
    unknown boolean;
    id bigint;
BEGIN
    IF kind = 'everything' OR TG_OP = 'TRUNCATE' THEN
        PERFORM pg_notify('gongjian', '');
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        rows := 'SELECT * FROM gongjian_new';
    ELSIF TG_OP = 'DELETE' THEN
        rows := 'SELECT * FROM gongjian_old';
    ELSE
        rows := 'SELECT * FROM gongjian_new UNION ALL SELECT * FROM gongjian_old';
    END IF;
    IF kind = 'community' THEN
        found := 'SELECT x.community_id AS k, false AS lost FROM (' || rows || ') x';
    ELSIF kind = 'project' THEN
        found := 'SELECT x.community_id AS k, false AS lost FROM (' || rows || ') x
                  UNION ALL
                  SELECT n.community_id, n.id IS NULL FROM (' || rows || ') x
                    LEFT JOIN need n ON n.id = x.need_id WHERE x.need_id IS NOT NULL';
    ELSIF kind = 'project_id' THEN
        found := 'SELECT p.community_id AS k, p.id IS NULL AS lost FROM (' || rows || ') x
                    LEFT JOIN project p ON p.id = x.project_id';
    ELSE
        found := 'SELECT m.community_id AS k, m.id IS NULL AS lost FROM (' || rows || ') x
                    LEFT JOIN member m ON m.id = x.member_id';
    END IF;
    EXECUTE 'SELECT array_agg(DISTINCT k) FILTER (WHERE k IS NOT NULL),
                    coalesce(bool_or(lost OR k IS NULL), false)
               FROM (' || found || ') f'
       INTO ids, unknown;
    IF unknown OR coalesce(cardinality(ids), 0) > 50 THEN
        PERFORM pg_notify('gongjian', '');
    ELSIF ids IS NOT NULL THEN
        FOREACH id IN ARRAY ids LOOP
            PERFORM pg_notify('gongjian', id::text);
        END LOOP;
    END IF;
    RETURN NULL;
END
"#;

const _: () = assert!(MOST_NAMED == 50, "the function's body says 50");

/// The triggers' names and statements on `table` (of the tables that exist).
fn triggers(table: &str, kind: &str) -> Vec<(String, String)> {
    let run = format!("FOR EACH STATEMENT EXECUTE FUNCTION gongjian_notify('{kind}')");
    vec![
        (
            format!("gongjian_notify_{table}_insert"),
            format!("AFTER INSERT ON {table} REFERENCING NEW TABLE AS gongjian_new {run}"),
        ),
        (
            format!("gongjian_notify_{table}_update"),
            format!(
                "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS gongjian_old NEW TABLE AS gongjian_new {run}"
            ),
        ),
        (
            format!("gongjian_notify_{table}_delete"),
            format!("AFTER DELETE ON {table} REFERENCING OLD TABLE AS gongjian_old {run}"),
        ),
        (
            format!("gongjian_notify_{table}_truncate"),
            format!("AFTER TRUNCATE ON {table} {run}"),
        ),
    ]
}

/// The script that makes (or makes again) the function and every trigger, for the tables in
/// `present`.
pub fn script(present: &[String]) -> String {
    let mut sql = format!(
        "CREATE OR REPLACE FUNCTION gongjian_notify() RETURNS trigger LANGUAGE plpgsql AS $gongjian${BODY}$gongjian$;\n"
    );
    for &(table, kind) in TABLES {
        if !present.iter().any(|p| p == table) {
            continue;
        }
        for (name, body) in triggers(table, kind) {
            sql.push_str(&format!("CREATE OR REPLACE TRIGGER {name} {body};\n"));
        }
    }
    sql
}

/// The tables of [`TABLES`] the database has.
fn present(client: &mut impl GenericClient) -> Result<Vec<String>, postgres::Error> {
    let names: Vec<&str> = TABLES.iter().map(|(t, _)| *t).collect();
    Ok(client
        .query(
            "SELECT table_name::text FROM information_schema.tables
              WHERE table_schema = current_schema() AND table_name = ANY($1)",
            &[&names],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect())
}

/// Whether the function is as written here and every table present has its four triggers
/// (enabled): then a dashboard can wait for notifications instead of reading again and again.
pub fn current(client: &mut impl GenericClient) -> Result<bool, postgres::Error> {
    let body: Option<String> = client
        .query_opt(
            "SELECT p.prosrc FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE p.proname = 'gongjian_notify' AND n.nspname = current_schema()",
            &[],
        )?
        .map(|r| r.get(0));
    if body.as_deref() != Some(BODY) {
        return Ok(false);
    }
    let tables = present(client)?;
    let wanted: Vec<String> = TABLES
        .iter()
        .filter(|(t, _)| tables.iter().any(|p| p == t))
        .flat_map(|(t, k)| triggers(t, k).into_iter().map(|(name, _)| name))
        .collect();
    let found: Vec<String> = client
        .query(
            "SELECT t.tgname::text FROM pg_trigger t
               JOIN pg_class c ON c.oid = t.tgrelid
               JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = current_schema() AND t.tgname LIKE 'gongjian_notify_%'
                AND t.tgenabled <> 'D'",
            &[],
        )?
        .iter()
        .map(|r| r.get(0))
        .collect();
    Ok(wanted.iter().all(|w| found.contains(w)))
}

/// Makes the function and triggers when they are missing or differ (inside the caller's
/// transaction when it is one).
pub fn ensure(client: &mut impl GenericClient) -> Result<(), postgres::Error> {
    if current(client)? {
        return Ok(());
    }
    let tables = present(client)?;
    client.batch_execute(&script(&tables))
}
