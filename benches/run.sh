#!/usr/bin/env bash
# Whole-program figures for issue 7 ("a city-sized district stays instant"), as in BENCHMARKS.md.
#
# Builds the release binary, generates districts of 10, 100, 1,000 and 5,000 communities
# (100 projects each, 20 sessions per project; dates around 2026-11-28, seed 1) and prints
# min / median / max over several runs of:
#   - `gongjian report --format json` and benches/straightforward.sql in the sqlite3 shell on
#     the same file, one after the other in each round so that both see the same machine;
#   - the dashboard's read (`read_snapshot`) in-process, as it is and through the summaries;
#   - a keystroke (move, sort, filter) handled and redrawn over all the communities;
#   - the real dashboard in a pseudo-terminal: first frame, all figures, a keystroke, RSS;
#   - peak RSS (VmHWM / max resident) of each.
#
# Usage: benches/run.sh                 all sizes, 5 runs each
#        SIZES="10 100" RUNS=3 benches/run.sh
#        WORK=/tmp/elsewhere benches/run.sh   (generated files are kept there and reused)
# Needs: cargo, sqlite3, GNU time (/usr/bin/time). Generated files go to $WORK, never the repo.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${WORK:-/tmp/gongjian-bench}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"10 100 1000 5000"}
TODAY=2026-11-28
mkdir -p "$WORK"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

echo "building (release)..." >&2
cargo build --release --quiet
BIN=$PWD/target/release/gongjian
PROBE=$(cargo bench --bench probe --no-run --message-format=json 2>/dev/null \
    | grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | grep '/probe-' | tail -1)
[ -x "$PROBE" ] || { echo "could not build benches/probe.rs" >&2; exit 1; }

# min / median / max of numbers on stdin, with one decimal.
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        printf "%.1f / %.1f / %.1f", v[1], v[int((NR + 1) / 2)], v[NR] }'
}

# Runs a command with stdout discarded; prints "milliseconds max-RSS-kB".
measure() {
    local rss_file start end
    rss_file=$(mktemp)
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$rss_file" "$@" >/dev/null
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000 )) $(cat "$rss_file")" | awk '{ printf "%.1f %d\n", $1 / 1000, $2 }'
    rm -f "$rss_file"
}

# The straightforward SQL with the day set, as one script for `sqlite3 FILE ".read SCRIPT"`.
SQL=$WORK/straightforward-$TODAY.sql
{ echo ".parameter set @today \"'$TODAY'\""; cat benches/straightforward.sql; } >"$SQL"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(sqlite3 --version | cut -d' ' -f1-2 | sed 's/^/sqlite3 /'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs per figure: $RUNS; day of the figures: $TODAY"

for n in $SIZES; do
    db=$WORK/district-$n.db
    if [ ! -f "$db" ]; then
        start=$(date +%s%N)
        "$BIN" --lang en --today "$TODAY" generate "$db" --communities "$n" >&2
        end=$(date +%s%N)
        echo "generated $db in $(( (end - start) / 1000000 )) ms" >&2
    fi
    activities=$(sqlite3 "$db" "SELECT count(*) FROM activity")
    size=$(du -m "$db" | cut -f1)
    echo
    echo "== $n communities: $(sqlite3 "$db" "SELECT count(*) FROM project") projects, $activities activities, $size MB"

    # Warm the OS cache once, as on a machine that has the file open already.
    cat "$db" >/dev/null
    report_ms=() report_rss=() sql_ms=() sql_rss=()
    for _ in $(seq "$RUNS"); do
        read -r ms rss < <(measure "$BIN" --db "$db" --today "$TODAY" report --format json)
        report_ms+=("$ms") report_rss+=("$rss")
        read -r ms rss < <(measure sqlite3 -bail "$db" ".read $SQL")
        sql_ms+=("$ms") sql_rss+=("$rss")
    done
    r=$(printf '%s\n' "${report_ms[@]}" | stats)
    s=$(printf '%s\n' "${sql_ms[@]}" | stats)
    ratio=$(printf '%s\n' "${report_ms[@]}" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
    ratio=$(printf '%s\n' "${sql_ms[@]}" | sort -g | awk -v r="$ratio" '{ v[NR] = $1 } END { printf "%.2f", r / v[int((NR + 1) / 2)] }')
    echo "report --format json:          $r ms   (max RSS $(printf '%s\n' "${report_rss[@]}" | stats) kB)"
    echo "sqlite3 straightforward.sql:   $s ms   (max RSS $(printf '%s\n' "${sql_rss[@]}" | stats) kB)"
    echo "report / sqlite3 (medians):    $ratio"

    "$PROBE" --db "$db" --runs "$RUNS" --only snapshot | grep -v '^peak'
    "$PROBE" --db "$db" --runs "$RUNS" --only figures | sed 's/^peak RSS/  peak RSS of that read alone/'
    "$PROBE" --db "$db" --runs "$RUNS" --only keys | grep -v '^peak'
    "$PROBE" --db "$db" --runs "$RUNS" --dashboard "$BIN"
done
