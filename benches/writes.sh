#!/usr/bin/env bash
# Write costs (issue 16: "writes stay cheap"), two builds side by side in one run on copies of
# the same files: one adjustment (`adjust activity`, a whole process) on the city file, and an
# import of 22,000 activity rows (a CSV made from the 100-community file) into a fresh copy.
#
# Usage: BEFORE=/tmp/old/gongjian AFTER=target/release/gongjian benches/writes.sh
#        RUNS=5 WORK=/tmp/gongjian-city benches/writes.sh
# Needs the files benches/city.sh makes ($WORK/district-100.db, $WORK/district-1000.db), python3
# (to write the CSV) and GNU time. Copies go to $WORK/writes-*, removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${WORK:-/tmp/gongjian-city}
RUNS=${RUNS:-5}
BEFORE=${BEFORE:?"BEFORE=path of the build to compare with"}
AFTER=${AFTER:-$PWD/target/release/gongjian}
TODAY=2026-12-31
CSV=$WORK/import-22000.csv

for f in "$WORK/district-100.db" "$WORK/district-1000.db"; do
    [ -f "$f" ] || { echo "$f is missing: run benches/city.sh first" >&2; exit 1; }
done

if [ ! -f "$CSV" ]; then
    python3 - "$WORK/district-100.db" "$CSV" <<'EOF'
import csv, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("""SELECT c.name, p.title FROM project p JOIN community c ON c.id = p.community_id
 WHERE (p.community_id, p.title) IN
       (SELECT community_id, title FROM project GROUP BY 1, 2 HAVING count(*) = 1)
 ORDER BY p.id""").fetchall()
out = [(n, t, f"2026-12-{d:02d}", 20, 15) for d in range(1, 7) for n, t in rows][:22000]
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["社区", "项目名称", "活动日期", "计划人数", "实际人数"])
    w.writerows(out)
EOF
fi

stats() {
    sort -g | awk '{ v[NR] = $1 } END { printf "%.0f / %.0f / %.0f", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

# "wall-ms cpu-ms" of a command, output discarded.
measure() {
    local t start end
    t=$(mktemp)
    start=$(date +%s%N)
    /usr/bin/time -f "%U %S" -o "$t" "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    awk -v w="$(( (end - start) / 1000000 ))" '{ printf "%d %.0f\n", w, ($1 + $2) * 1000 }' "$t"
    rm -f "$t"
}

# Active projects of each file (a session is logged only for a project that can take it).
ACTIVE_CITY=($(sqlite3 "$WORK/district-1000.db" "SELECT id FROM project WHERE status = 'active' ORDER BY id LIMIT 20"))
ACTIVE_SMALL=$(sqlite3 "$WORK/district-100.db" "SELECT min(id) FROM project WHERE status = 'active'")

# A first write, so that the program's own schema step on a file it has not opened for writing
# (the summaries, the change counters) is not what is timed.
warm_up() {
    "$1" --db "$2" --today "$TODAY" --operator bench adjust activity --project "$3" \
        --held-on 2026-12-29 --planned 5 --actual 5 --reason warm-up >/dev/null
}

echo "load at the start: $(cut -d' ' -f1-3 /proc/loadavg); $RUNS rounds, min / median / max"
declare -A adj_w adj_c imp_w imp_c
for round in $(seq "$RUNS"); do
    for which in before after; do
        bin=$BEFORE
        [ "$which" = after ] && bin=$AFTER
        # One adjustment on the city file (opened once before, so that no schema step is timed).
        city=$WORK/writes-city-$which.db
        if [ "$round" = 1 ]; then
            cp "$WORK/district-1000.db" "$city"
            warm_up "$bin" "$city" "${ACTIVE_CITY[0]}"
        fi
        project=${ACTIVE_CITY[$round]}
        read -r w c < <(measure "$bin" --db "$city" --today "$TODAY" --operator bench \
            adjust activity --project "$project" --held-on 2026-12-30 --planned 12 --actual 9 \
            --reason bench)
        adj_w[$which]+="$w "
        adj_c[$which]+="$c "
        # The import, into a fresh copy of the 100-community file.
        small=$WORK/writes-small-$which.db
        cp "$WORK/district-100.db" "$small"
        warm_up "$bin" "$small" "$ACTIVE_SMALL"
        read -r w c < <(measure "$bin" --db "$small" --today "$TODAY" --operator bench import "$CSV")
        imp_w[$which]+="$w "
        imp_c[$which]+="$c "
    done
done
for which in before after; do
    echo "-- $which ($([ "$which" = after ] && echo "$AFTER" || echo "$BEFORE"))"
    echo "adjust activity, city file:  wall $(tr ' ' '\n' <<<"${adj_w[$which]}" | grep . | stats) ms; CPU $(tr ' ' '\n' <<<"${adj_c[$which]}" | grep . | stats) ms"
    echo "import 22,000 activity rows: wall $(tr ' ' '\n' <<<"${imp_w[$which]}" | grep . | stats) ms; CPU $(tr ' ' '\n' <<<"${imp_c[$which]}" | grep . | stats) ms"
done
rm -f "$WORK"/writes-city-* "$WORK"/writes-small-*
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
