-- The recommended roles on a district's PostgreSQL database, run once by its administrator
-- (psql -d DATABASE -f roles.sql) after the owner role has made the tables
-- (gongjian --db postgres://gongjian_owner@HOST/DATABASE init). Passwords are then set with
-- psql's \password, never written here.
--   gongjian_owner   owns the tables and upgrades them (a newer gongjian's first run).
--   gongjian_app     what every terminal uses: reads and writes the district, but can only
--                    add to the adjustment log, never change or delete an entry.
--   gongjian_viewer  reads everything, writes nothing (use with --readonly).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gongjian_app') THEN
        CREATE ROLE gongjian_app LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gongjian_viewer') THEN
        CREATE ROLE gongjian_viewer LOGIN;
    END IF;
END
$$;
GRANT USAGE ON SCHEMA public TO gongjian_app, gongjian_viewer;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gongjian_app;
REVOKE UPDATE, DELETE, TRUNCATE ON adjustment FROM gongjian_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gongjian_app;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO gongjian_viewer;
-- Tables a later gongjian adds when its first run upgrades the district (as the tables' owner)
-- get the same rights by default, so this script need not be run again after an upgrade.
DO $$
DECLARE
    owner name := (SELECT tableowner FROM pg_tables
                   WHERE schemaname = 'public' AND tablename = 'adjustment');
BEGIN
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
                   'GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gongjian_app', owner);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
                   'GRANT USAGE, SELECT ON SEQUENCES TO gongjian_app', owner);
    EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE %I IN SCHEMA public '
                   'GRANT SELECT ON TABLES TO gongjian_viewer', owner);
END
$$;
