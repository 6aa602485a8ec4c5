#!/usr/bin/env bash
# The WXR import benchmark (issue 9): a WordPress export of N synthetic
# Arabic posts (classic bodies with [caption] shortcodes, block-editor
# bodies, percent-encoded slugs, Co-Authors Plus bylines, Yoast fields, one
# featured-image attachment per five posts) written by `warraq gen --wxr`,
# then imported into a fresh database with `warraq import wxr`, search index
# included. Prints wall time and peak resident memory per size.
#
#   bash bench/import/run.sh                 # 10,000 and 50,000 posts, SQLite
#   SIZES="10000" BACKEND=postgres bash bench/import/run.sh
#
# Knobs: SIZES (space-separated), BACKEND (sqlite | postgres; postgres uses
# WARRAQ_TEST_PG or postgres://postgres@127.0.0.1:5432/test to create a
# database per run), WARRAQ_BIN (a prebuilt binary).
source "$(dirname "$0")/../lib.sh"
ensure_tools

SIZES=${SIZES:-"10000 50000"}
BACKEND=${BACKEND:-sqlite}
PG=${WARRAQ_TEST_PG:-postgres://postgres@127.0.0.1:5432/test}

database_for() { # database_for N: a fresh database URL
    local n=$1
    case $BACKEND in
        sqlite) echo "sqlite://$TMP/import-$n.db" ;;
        postgres)
            local name="warraq_bench_import_${n}_$$"
            psql "$PG" -qc "DROP DATABASE IF EXISTS $name" -c "CREATE DATABASE $name" >/dev/null
            echo "${PG%/*}/$name" ;;
        *) die "BACKEND must be sqlite or postgres" ;;
    esac
}

say "machine: $(nproc) cores, $(uname -sr), $("$BIN" --version)"
printf '%-8s %-9s %10s %10s %12s %12s %13s\n' posts backend "file MB" "seconds" "posts/s" "peak RSS MB" "peak anon MB"
for n in $SIZES; do
    file="$TMP/posts-$n.xml"
    "$BIN" gen --articles "$n" --wxr "$file" >/dev/null
    db=$(database_for "$n")
    "$BIN" migrate --database "$db" >/dev/null 2>&1
    /usr/bin/time -f '%e %M' -o "$TMP/time-$n" \
        "$BIN" import wxr "$file" --database "$db" --search-dir "$TMP/search-$n" \
        >"$TMP/out-$n" 2>"$TMP/err-$n" &
    # Resident memory counts the search index's own files while tantivy
    # reads them (page cache the kernel takes back at will); anonymous
    # memory is what warraq allocates. Sampled every 0.2 s.
    timer=$!
    anon=0
    while kill -0 "$timer" 2>/dev/null; do
        for pid in $(pgrep -P "$timer"); do
            a=$(awk '/^RssAnon/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
            [ -n "$a" ] && [ "$a" -gt "$anon" ] && anon=$a
        done
        sleep 0.2
    done
    wait "$timer" || { cat "$TMP/err-$n" >&2; die "import of $n posts failed"; }
    read -r secs kb <"$TMP/time-$n"
    grep -q "articles: $n new" "$TMP/out-$n" || { cat "$TMP/out-$n" >&2; die "expected $n new articles"; }
    printf '%-8s %-9s %10.1f %10.2f %12.0f %12.0f %13.0f\n' "$n" "$BACKEND" \
        "$(awk "BEGIN{print $(stat -c %s "$file")/1048576}")" "$secs" \
        "$(awk "BEGIN{print $n/$secs}")" "$(awk "BEGIN{print $kb/1024}")" \
        "$(awk "BEGIN{print $anon/1024}")"
    tail -1 "$TMP/out-$n" >&2
    rm -f "$file"
done
