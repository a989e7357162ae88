-- The four panels of contract version 1 written by hand as plain SQL, for the `sqlite3` shell:
-- the yardstick that `gongjian report --format json` is measured against (benches/city.sh). It
-- computes the same figures as the report: per community completion (and per lead unit),
-- resource use, overdue projects, quarterly meetings, low participation, inactive units and the
-- alert count.
--
-- The day is the shell parameter :today, bound as TEXT (the inner quotes matter: without them
-- the shell binds the number 2026 - 11 - 28 = 1987):
--   sqlite3 FILE '.param set :today "'"'"'2026-11-28'"'"'"' '.read benches/panels.sql'
-- or in an interactive shell:   .param set :today "'2026-11-28'"
-- Each panel is computed once into a temporary table and printed; the alerts add them up.
-- (Unlike gongjian it does not check that dates are well formed: that is its only shortcut.)

CREATE TEMP TABLE day AS
SELECT :today AS today,
       substr(:today, 1, 4) || '-01-01' AS y0,
       substr(:today, 1, 4) || '-12-31' AS y1,
       coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'completion_alert_pct'), 50) AS completion_pct,
       coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'resource_alert_pct'), 40) AS resource_pct,
       coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'participation_alert_pct'), 80) AS participation_pct,
       coalesce((SELECT CAST(value AS INTEGER) FROM setting WHERE key = 'min_unit_activities'), 2) AS min_activities;

-- 1. List completion per community, and per lead unit.
CREATE TEMP TABLE completion AS
SELECT c.id AS community_id, count(p.id) AS total, coalesce(sum(p.status = 'done'), 0) AS done
  FROM community c
  LEFT JOIN project p ON p.community_id = c.id
   AND p.due_on BETWEEN (SELECT y0 FROM day) AND (SELECT y1 FROM day)
   AND p.status <> 'cancelled'
 GROUP BY c.id;
SELECT community_id, done, total,
       CASE WHEN total > 0 THEN round(100.0 * done / total, 1) END AS pct,
       total > 0 AND done * 100 < (SELECT completion_pct FROM day) * total AS alert
  FROM completion ORDER BY community_id;

SELECT p.community_id, p.unit_id, u.name, sum(p.status = 'done') AS done, count(*) AS total,
       round(100.0 * sum(p.status = 'done') / count(*), 1) AS pct,
       sum(p.status = 'done') * 100 < (SELECT completion_pct FROM day) * count(*) AS alert
  FROM project p LEFT JOIN unit u ON u.id = p.unit_id
 WHERE p.unit_id IS NOT NULL
   AND p.due_on BETWEEN (SELECT y0 FROM day) AND (SELECT y1 FROM day)
   AND p.status <> 'cancelled'
 GROUP BY p.community_id, p.unit_id
 ORDER BY p.community_id, p.unit_id;

-- Resource use.
CREATE TEMP TABLE resources AS
SELECT c.id AS community_id, count(r.id) AS offered, coalesce(sum(r.times_used > 0), 0) AS used
  FROM community c LEFT JOIN resource r ON r.community_id = c.id
 GROUP BY c.id;
SELECT community_id, used, offered,
       CASE WHEN offered > 0 THEN round(100.0 * used / offered, 1) END AS pct,
       offered > 0 AND used * 100 < (SELECT resource_pct FROM day) * offered AS alert
  FROM resources ORDER BY community_id;

-- 2. Overdue projects, most overdue first.
CREATE TEMP TABLE overdue AS
SELECT community_id, id AS project_id, title, due_on,
       CAST(julianday((SELECT today FROM day)) - julianday(due_on) AS INTEGER) AS days_overdue
  FROM project
 WHERE status IN ('active', 'paused') AND due_on < (SELECT today FROM day);
SELECT * FROM overdue ORDER BY community_id, days_overdue DESC, project_id;

-- 3. Quarterly meetings: held, missing, pending or future per quarter.
CREATE TEMP TABLE quarters AS
WITH q(n, first, last) AS (
  SELECT 1, (SELECT y0 FROM day), substr((SELECT y0 FROM day), 1, 4) || '-03-31' UNION ALL
  SELECT 2, substr((SELECT y0 FROM day), 1, 4) || '-04-01', substr((SELECT y0 FROM day), 1, 4) || '-06-30' UNION ALL
  SELECT 3, substr((SELECT y0 FROM day), 1, 4) || '-07-01', substr((SELECT y0 FROM day), 1, 4) || '-09-30' UNION ALL
  SELECT 4, substr((SELECT y0 FROM day), 1, 4) || '-10-01', (SELECT y1 FROM day))
SELECT c.id AS community_id, q.n AS quarter,
       CASE WHEN EXISTS (SELECT 1 FROM meeting m
                          WHERE m.community_id = c.id AND m.kind = 'quarterly'
                            AND m.held_on BETWEEN q.first AND q.last) THEN 'held'
            WHEN q.last < (SELECT today FROM day) THEN 'missing'
            WHEN q.first > (SELECT today FROM day) THEN 'future'
            ELSE 'pending' END AS state
  FROM community c, q;
SELECT community_id, group_concat(state, ',') FROM (SELECT * FROM quarters ORDER BY community_id, quarter)
 GROUP BY community_id ORDER BY community_id;

-- 4. Participation: projects below the share of plan, lowest first.
CREATE TEMP TABLE low_participation AS
SELECT p.community_id, p.id AS project_id, p.title, sum(a.planned) AS planned, sum(a.actual) AS actual
  FROM project p JOIN activity a ON a.project_id = p.id
 WHERE p.status <> 'cancelled'
   AND a.held_on BETWEEN (SELECT y0 FROM day) AND (SELECT today FROM day)
 GROUP BY p.id
HAVING sum(a.actual) * 100 < (SELECT participation_pct FROM day) * sum(a.planned);
SELECT community_id, project_id, title, planned, actual, round(100.0 * actual / planned, 1) AS pct
  FROM low_participation ORDER BY community_id, 1.0 * actual / planned, project_id;

-- Inactive units: contracted units with too few sessions in this community this year.
CREATE TEMP TABLE inactive_units AS
SELECT k.community_id, k.unit_id, u.name,
       (SELECT count(*) FROM activity a JOIN project p ON p.id = a.project_id
         WHERE p.community_id = k.community_id AND p.unit_id = k.unit_id
           AND a.held_on BETWEEN (SELECT y0 FROM day) AND (SELECT today FROM day)) AS activities
  FROM contract k LEFT JOIN unit u ON u.id = k.unit_id
 WHERE activities < (SELECT min_activities FROM day);
SELECT * FROM inactive_units ORDER BY community_id, unit_id;

-- The alerts per community.
SELECT c.id, c.name, s.name AS street,
       (k.total > 0 AND k.done * 100 < (SELECT completion_pct FROM day) * k.total)
     + (r.offered > 0 AND r.used * 100 < (SELECT resource_pct FROM day) * r.offered)
     + coalesce(o.n, 0) + coalesce(q.n, 0) + coalesce(l.n, 0) + coalesce(i.n, 0) AS alerts
  FROM community c
  LEFT JOIN street s ON s.id = c.street_id
  LEFT JOIN completion k ON k.community_id = c.id
  LEFT JOIN resources r ON r.community_id = c.id
  LEFT JOIN (SELECT community_id, count(*) AS n FROM overdue GROUP BY community_id) o
         ON o.community_id = c.id
  LEFT JOIN (SELECT community_id, count(*) AS n FROM quarters WHERE state = 'missing'
              GROUP BY community_id) q ON q.community_id = c.id
  LEFT JOIN (SELECT community_id, count(*) AS n FROM low_participation GROUP BY community_id) l
         ON l.community_id = c.id
  LEFT JOIN (SELECT community_id, count(*) AS n FROM inactive_units GROUP BY community_id) i
         ON i.community_id = c.id
 ORDER BY c.id;
