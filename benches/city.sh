#!/usr/bin/env bash
# City-scale figures (issue 16), as in BENCHMARKS.md: everything measured side by side in one
# run, on the same files, with the release build.
#
# For each size (10, 100, 1,000 and 5,000 communities; 100 projects and 20 sessions each,
# dates around 2026-11-28, seed 1) it makes two files, kept in $WORK and reused by later runs:
#   district-N.db           as `gongjian generate` leaves it: what the program has opened once
#                           (its indexes, summaries and triggers in place);
#   district-N-contract.db  a contract-only copy: the same rows with gongjian's own tables and
#                           triggers dropped (the indexes on the contract's tables stay) and
#                           user_version 0, as another tool would leave a file it took over.
# and prints min / median / max over $RUNS rounds, each round running one after the other on
# both files, so that every figure of a round saw the same machine:
#   - `gongjian report --format json` (whole process) and benches/panels.sql, the four panels
#     written by hand, in the sqlite3 shell (the date bound as text), and their ratio;
#   - `gongjian report --community $ID --format json` (whole process);
#   - peak RSS of each (GNU time's maximum resident set size);
#   - the dashboard (benches/probe.rs): keystrokes handled and redrawn in-process, and the real
#     binary in a 160x45 pseudo-terminal: first frame, all figures on screen, another
#     terminal's write visible, a keystroke seen through the pty, peak RSS. On the
#     contract-only copy the dashboard runs with --readonly, so that it stays contract-only.
#
# Usage: benches/city.sh                          all sizes, 5 rounds
#        SIZES="10 100" RUNS=3 benches/city.sh
#        WORK=/tmp/elsewhere benches/city.sh      (where the generated files are kept)
#        DASHBOARD=0 benches/city.sh              (skip the dashboard)
#        GONGJIAN=/tmp/old/gongjian benches/city.sh  (measure another build of the program)
#        PROBE=target/release/deps/probe-HASH benches/city.sh  (a probe already built)
# Needs: cargo, sqlite3 (3.32 or later, for .param), GNU time (/usr/bin/time). Generated
# files go to $WORK, never into the repository. Generating 1,000 communities takes about
# 20 s and 5,000 about 80 s (1 GB).
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=${WORK:-/tmp/gongjian-city}
RUNS=${RUNS:-5}
SIZES=${SIZES:-"10 100 1000 5000"}
ID=${ID:-5}
DASHBOARD=${DASHBOARD:-1}
TODAY=2026-11-28
mkdir -p "$WORK"

command -v sqlite3 >/dev/null || { echo "sqlite3 is needed" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "GNU time (/usr/bin/time) is needed" >&2; exit 1; }

# GONGJIAN=path measures another build of the program (an earlier commit's, say) with the same
# files and the same probe; PROBE=path takes an already built probe.
if [ -z "${GONGJIAN:-}" ]; then
    echo "building (release)..." >&2
    cargo build --release --quiet
fi
BIN=${GONGJIAN:-$PWD/target/release/gongjian}
if [ -z "${PROBE:-}" ] && [ "$DASHBOARD" = 1 ]; then
    PROBE=$(cargo bench --bench probe --no-run --message-format=json 2>/dev/null \
        | grep -o '"executable":"[^"]*"' | cut -d'"' -f4 | grep '/probe-' | tail -1)
    [ -x "$PROBE" ] || { echo "could not build benches/probe.rs" >&2; exit 1; }
fi

# min / median / max of numbers on stdin, with one decimal.
stats() {
    sort -g | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "-"; exit }
        printf "%.1f / %.1f / %.1f", v[1], v[int((NR + 1) / 2)], v[NR] }'
}
median() {
    sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

# Runs a command with stdout discarded; prints "wall-ms max-RSS-kB cpu-ms" (cpu = user + system:
# on a shared machine the wall time includes waiting for a core, the CPU time does not).
measure() {
    local rss_file start end
    rss_file=$(mktemp)
    start=$(date +%s%N)
    /usr/bin/time -f "%M %U %S" -o "$rss_file" "$@" >/dev/null
    end=$(date +%s%N)
    echo "$(( (end - start) / 1000 )) $(cat "$rss_file")" \
        | awk '{ printf "%.1f %d %.0f\n", $1 / 1000, $2, ($3 + $4) * 1000 }'
    rm -f "$rss_file"
}

# Drops gongjian's own tables (summaries, adjustment log, reviews) and its triggers from a copy:
# what stays is the schema contract's tables (versions 1 and 2), their rows and the indexes on
# them, with user_version 0, as another tool would leave a file that it made or took over.
contract_only() {
    local db=$1
    sqlite3 "$db" "PRAGMA journal_mode = DELETE;" >/dev/null
    sqlite3 "$db" "SELECT 'DROP TRIGGER IF EXISTS \"' || name || '\";' FROM sqlite_schema
                     WHERE type = 'trigger'" >"$WORK/drop.sql"
    sqlite3 "$db" "SELECT 'DROP TABLE IF EXISTS \"' || name || '\";' FROM sqlite_schema
                     WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN
                       ('street', 'community', 'unit', 'contract', 'need', 'resource', 'project',
                        'activity', 'meeting', 'setting', 'survey', 'member', 'service',
                        'assessment')" >>"$WORK/drop.sql"
    { echo "BEGIN;"; cat "$WORK/drop.sql"; echo "PRAGMA user_version = 0; COMMIT; VACUUM;"; } \
        | sqlite3 "$db"
}

SQL=$WORK/panels-$TODAY.sql
{ echo ".param set :today \"'$TODAY'\""; cat benches/panels.sql; } >"$SQL"

echo "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(sqlite3 --version | cut -d' ' -f1 | sed 's/^/sqlite3 /'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rounds per figure: $RUNS; day of the figures: $TODAY; one community: id $ID"

for n in $SIZES; do
    db=$WORK/district-$n.db
    contract=$WORK/district-$n-contract.db
    if [ ! -f "$db" ]; then
        start=$(date +%s%N)
        "$BIN" --lang en --today "$TODAY" generate "$db" --communities "$n" >&2
        end=$(date +%s%N)
        echo "generated $db in $(( (end - start) / 1000000 )) ms" >&2
    fi
    if [ ! -f "$contract" ]; then
        cp "$db" "$contract"
        contract_only "$contract"
    fi
    # The probe's writes (a meeting, taken away again) must not leave the files changed.
    [ -f "$db-wal" ] && sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
    echo
    echo "== $n communities: $(sqlite3 "$db" "SELECT count(*) FROM project") projects, $(sqlite3 "$db" "SELECT count(*) FROM activity") activities; $(du -m "$db" | cut -f1) MB as generated, $(du -m "$contract" | cut -f1) MB contract-only"
    echo "   load at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
    # Warm the OS cache once, as on a machine that has the file open already.
    cat "$db" "$contract" >/dev/null

    for which in contract opened; do
        declare -a r_ms=() r_rss=() r_cpu=() s_ms=() s_rss=() s_cpu=() c_ms=() c_rss=() c_cpu=()
        file=$db
        [ "$which" = contract ] && file=$contract
        for _ in $(seq "$RUNS"); do
            read -r ms rss cpu < <(measure "$BIN" --db "$file" --today "$TODAY" report --format json 2>/dev/null)
            r_ms+=("$ms") r_rss+=("$rss") r_cpu+=("$cpu")
            read -r ms rss cpu < <(measure sqlite3 -bail "$file" ".read $SQL")
            s_ms+=("$ms") s_rss+=("$rss") s_cpu+=("$cpu")
            read -r ms rss cpu < <(measure "$BIN" --db "$file" --today "$TODAY" report --community "$ID" --format json 2>/dev/null)
            c_ms+=("$ms") c_rss+=("$rss") c_cpu+=("$cpu")
        done
        ratio=$(awk -v r="$(printf '%s\n' "${r_ms[@]}" | median)" -v s="$(printf '%s\n' "${s_ms[@]}" | median)" \
            'BEGIN { printf "%.2f", r / s }')
        cpu_ratio=$(awk -v r="$(printf '%s\n' "${r_cpu[@]}" | median)" -v s="$(printf '%s\n' "${s_cpu[@]}" | median)" \
            'BEGIN { if (s > 0) printf "%.2f", r / s; else print "-" }')
        echo "-- $which ($(basename "$file")); wall ms, then CPU ms (user + system), min / median / max"
        echo "report --format json:            $(printf '%s\n' "${r_ms[@]}" | stats) ms; CPU $(printf '%s\n' "${r_cpu[@]}" | stats) ms; peak RSS $(printf '%s\n' "${r_rss[@]}" | stats) kB"
        echo "sqlite3 benches/panels.sql:      $(printf '%s\n' "${s_ms[@]}" | stats) ms; CPU $(printf '%s\n' "${s_cpu[@]}" | stats) ms; peak RSS $(printf '%s\n' "${s_rss[@]}" | stats) kB"
        echo "report / hand SQL (medians):     wall $ratio, CPU $cpu_ratio"
        echo "report --community $ID (process): $(printf '%s\n' "${c_ms[@]}" | stats) ms; CPU $(printf '%s\n' "${c_cpu[@]}" | stats) ms; peak RSS $(printf '%s\n' "${c_rss[@]}" | stats) kB"
        unset r_ms r_rss r_cpu s_ms s_rss s_cpu c_ms c_rss c_cpu
    done

    if [ "$DASHBOARD" = 1 ]; then
        "$PROBE" --db "$db" --runs "$RUNS" --only keys | grep -v '^peak'
        echo "-- dashboard, opened file"
        "$PROBE" --db "$db" --runs "$RUNS" --dashboard "$BIN"
        echo "-- dashboard --readonly, contract-only copy"
        "$PROBE" --db "$contract" --runs "$RUNS" --dashboard "$BIN" --readonly
    fi
    echo "   load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
done
