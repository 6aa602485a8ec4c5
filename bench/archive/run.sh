#!/usr/bin/env bash
# A big archive: a synthetic corpus of ARTICLES articles in SQLite, then, in
# one run on loopback, cold article pages (each URL once, on a fresh server)
# against nginx serving a sample of the same pages as static files, list
# pages deep into the archive, search over HTTP, and warraq's resident
# memory after all that. See bench/archive/README.md.
#
# Knobs (environment): ARTICLES (100000), THREADS (wrk -t, 2), CONNS (wrk -c,
# 32), DURATION (20s), WARMUP (nginx only, 3s), NGINX_WORKERS (auto), SAMPLE
# (pages saved for nginx, 2000), LIST_REQUESTS (per list kind, 300),
# HOME_REQUESTS (per home page, 20), SEARCHES (500), KIND_SECONDS (time limit
# per list kind and for search, 60), SEED (1), WARRAQ_BIN (a prebuilt warraq:
# use it and build nothing), ARCHIVE_DIR (keep the generated archive there
# and reuse it on the next run).
ARTICLES=${ARTICLES:-100000}
THREADS=${THREADS:-2}
CONNS=${CONNS:-32}
DURATION=${DURATION:-20s}
WARMUP=${WARMUP:-3s}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
SAMPLE=${SAMPLE:-2000}
LIST_REQUESTS=${LIST_REQUESTS:-300}
HOME_REQUESTS=${HOME_REQUESTS:-20}
SEARCHES=${SEARCHES:-500}
KIND_SECONDS=${KIND_SECONDS:-60}
SEED=${SEED:-1}
# The site's defaults (crates/warraq/src/config.rs): the URLs below are
# computed with them, so no config file may change them.
TIME_ZONE=Asia/Beirut
PAGE_SIZE=12
# Pages asked of the fresh server before the cold run (not part of it).
WARM_PAGES=20
# WordPress's cold article pages on the same kind of machine, req/s.
WORDPRESS_RPS=68
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
unset WARRAQ_CONFIG WARRAQ_DATABASE WARRAQ_SEARCH_DIR WARRAQ_LISTEN

for knob in ARTICLES THREADS CONNS SAMPLE LIST_REQUESTS HOME_REQUESTS SEARCHES KIND_SECONDS SEED; do
    [[ ${!knob} =~ ^[0-9]+$ ]] && [ "${!knob}" -gt 0 ] || die "$knob must be a positive integer, not '${!knob}'"
done

# --- tools and binary ---------------------------------------------------------------
ensure_tools
command -v python3 >/dev/null || die "python3 is needed (URL lists and the latency client)"
python3 -c 'import sqlite3, zoneinfo' 2>/dev/null || die "python3 needs its sqlite3 and zoneinfo modules"

serve() { start_warraq --database "$DB"; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
secs() { awk -v ms="$1" 'BEGIN { printf "%.1f s", ms / 1000 }'; }
ok_if() { awk "BEGIN { print (($1) ? \"ok\" : \"BELOW TARGET\") }"; }
field() { tr ' ' '\n' <"$1" | sed -n "s/^$2=//p"; } # field FILE KEY: KEY=value in a client result

# --- helpers written out once -----------------------------------------------------------
# collect.py DB OUT: the URL lists, from the database the way the server
# builds them (render/urls.rs): /{yyyy}/{mm}/{dd}/{slug}/ dated in the site's
# time zone, the slug percent-encoded like encode_segment (non-ASCII bytes and
# CONTROLS + space "#%/<>?`{}\^|[] as %XX, uppercase).
cat >"$TMP/collect.py" <<'PY'
import math, os, random, sqlite3, sys, time
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

db, out = sys.argv[1], sys.argv[2]
env = os.environ
tz = ZoneInfo(env["TIME_ZONE"])
page_size = int(env["PAGE_SIZE"])
rng = random.Random(int(env["SEED"]))
now = int(time.time())
con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
PUBLISHED = "a.status = 'published' AND a.published_at <= ?"

def segment(s):
    return quote(s, safe="!$&'()*+,-.:;=@_~")

def prefix(lang):
    return "" if lang == "ar" else "/" + lang

def write(name, lines):
    with open(os.path.join(out, name), "w") as f:
        for line in lines:
            f.write(line + "\n")

def spread(items, cap, must=()):
    """Up to cap of items: all of must, then evenly spaced over the rest."""
    if len(items) <= cap:
        return list(items)
    chosen = list(dict.fromkeys(must))[:cap]
    taken = set(chosen)
    pool = [x for x in items if x not in taken]
    rest = cap - len(chosen)
    if rest == 1:
        chosen.append(pool[-1])
    elif rest > 1:
        step = (len(pool) - 1) / (rest - 1)
        chosen += [pool[round(k * step)] for k in range(rest)]
    return list(dict.fromkeys(chosen))

# Articles.
rows = con.execute(
    f"SELECT a.id, a.lang, a.slug, a.published_at, a.headline FROM articles a WHERE {PUBLISHED} ORDER BY a.id",
    (now,)).fetchall()
if not rows:
    sys.exit("no published articles in the database")
paths = []
for id_, lang, slug, at, _ in rows:
    d = datetime.fromtimestamp(at, tz)
    paths.append((id_, f"{prefix(lang)}/{d.year:04}/{d.month:02}/{d.day:02}/{segment(slug)}/", lang, slug, d))
write("ids.tsv", (f"{i}\t{p}" for i, p, *_ in paths))
order = list(range(len(paths)))
rng.shuffle(order)
warm_n = int(env["WARM_PAGES"])
write("warm.txt", (paths[k][1] for k in order[:warm_n]))
write("cold.txt", (paths[k][1] for k in order[warm_n:]))
# nginx's sample: the end of the shuffled list, which the cold run reaches last.
sample = order[-int(env["SAMPLE"]):]
write("sample.tsv", (f"{paths[k][1]}\t{prefix(paths[k][2])}/{paths[k][4].year:04}/{paths[k][4].month:02}/{paths[k][4].day:02}/{paths[k][3]}"
                     for k in sample))

cap = int(env["LIST_REQUESTS"])
meta = {"TOTAL": len(paths)}

# /api/v1/articles?limit=100&page=N over the whole archive, all languages.
api_pages = math.ceil(len(paths) / 100)
meta["API_PAGES"] = api_pages
api = spread(list(range(1, api_pages + 1)), cap, must=[1, api_pages])
rng.shuffle(api)
write("api.txt", (f"/api/v1/articles?limit=100&page={n}" for n in api))
meta["API_PROBE"] = f"/api/v1/articles?limit=100&page={api_pages}"

def list_pages(kind, counts):
    """counts: [(url_base, n_articles)], largest first. Every page of every
    list, the deepest page of each list among the must-haves."""
    if not counts:
        sys.exit(f"no {kind} lists in the database")
    items, must = [], []
    for base, n in counts:
        pages = max(1, math.ceil(n / page_size))
        items += [f"{base}?page={p}" for p in range(1, pages + 1)]
        must.append(f"{base}?page={pages}")
    chosen = spread(items, cap, must)
    rng.shuffle(chosen)
    write(f"{kind}.txt", chosen)
    meta[f"{kind.upper()}_LISTS"] = len(counts)
    meta[f"{kind.upper()}_ALL_PAGES"] = len(items)
    meta[f"{kind.upper()}_DEEPEST"] = max(math.ceil(n / page_size) for _, n in counts)
    base, n = counts[0]
    pages = math.ceil(n / page_size)
    # The biggest list: its last page answers 200, the one after 404.
    with open(os.path.join(out, f"{kind}-probe.txt"), "w") as f:
        f.write(f"{base}?page={pages}\n{base}?page={pages + 1}\n")

sections = con.execute(
    f"""SELECT a.lang, s.slug, COUNT(DISTINCT a.id) AS n FROM sections s
        JOIN article_sections x ON x.section_id = s.id JOIN articles a ON a.id = x.article_id
        WHERE {PUBLISHED} GROUP BY a.lang, s.slug ORDER BY n DESC""", (now,)).fetchall()
list_pages("section", [(f"{prefix(l)}/section/{segment(s)}/", n) for l, s, n in sections])
tags = con.execute(
    f"""SELECT t.lang, t.slug, COUNT(DISTINCT a.id) AS n FROM tags t
        JOIN article_tags x ON x.tag_id = t.id JOIN articles a ON a.id = x.article_id
        WHERE {PUBLISHED} AND a.lang = t.lang GROUP BY t.lang, t.slug ORDER BY n DESC""", (now,)).fetchall()
list_pages("tag", [(f"{prefix(l)}/tag/{segment(s)}/", n) for l, s, n in tags])

home = int(env["HOME_REQUESTS"])
write("home-ar.txt", ["/"] * home)
write("home-en.txt", ["/en/"] * home)

# Search: 1-3 consecutive words of a random headline, each query once.
STRIP = "\"'“”‘’«»:؛;،,.!؟?()[]-–—…"
queries, seen = [], set()
want = int(env["SEARCHES"])
for _ in range(want * 50):
    if len(queries) >= want:
        break
    words = [w.strip(STRIP) for w in rng.choice(rows)[4].split()]
    words = [w for w in words if len(w) >= 2 and any(c.isalpha() for c in w)]
    if not words:
        continue
    k = min(rng.randint(1, 3), len(words))
    start = rng.randrange(len(words) - k + 1)
    q = " ".join(words[start:start + k])
    if q not in seen:
        seen.add(q)
        queries.append(q)
write("search.txt", (f"/api/v1/search?q={quote(q, safe='')}" for q in queries))
meta["SEARCH_QUERIES"] = len(queries)

with open(os.path.join(out, "meta.sh"), "w") as f:
    for k, v in meta.items():
        f.write(f"{k}='{v}'\n")
PY

# client.py BASE FILE SECONDS: GET each path of FILE in turn over one
# keep-alive connection, timing each (request sent to body read) with
# perf_counter; stops early after SECONDS. Prints n, non2xx, errors, first,
# p50, p99, max and mean (ms), and stopped=1 when it ran out of time.
cat >"$TMP/client.py" <<'PY'
import http.client, math, sys, time

base, file, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
host, port = base.removeprefix("http://").split(":")
paths = [line.rstrip("\n") for line in open(file) if line.strip()]
conn = http.client.HTTPConnection(host, int(port), timeout=30)
times, non2xx, errors, stopped = [], 0, 0, 0
deadline = time.monotonic() + seconds
for path in paths:
    if time.monotonic() > deadline:
        stopped = 1
        break
    t0 = time.perf_counter()
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        r.read()
    except (OSError, http.client.HTTPException):
        errors += 1
        conn.close()
        conn = http.client.HTTPConnection(host, int(port), timeout=30)
        continue
    times.append((time.perf_counter() - t0) * 1000)
    if not 200 <= r.status < 300:
        non2xx += 1
        print(f"{r.status} {path}", file=sys.stderr)

def pct(p):
    s = sorted(times)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)] if s else 0.0

print(f"n={len(times)} non2xx={non2xx} errors={errors} first={times[0] if times else 0:.2f} "
      f"p50={pct(50):.2f} p99={pct(99):.2f} max={max(times, default=0):.2f} "
      f"mean={sum(times) / max(1, len(times)):.2f} stopped={stopped}")
PY

# --- 1. the archive ----------------------------------------------------------------------
# ARCHIVE_DIR keeps the generated archive between runs (it takes minutes to
# make): a later run with the same ARTICLES and SEED measures it again.
if [ -n "${ARCHIVE_DIR:-}" ]; then
    mkdir -p "$ARCHIVE_DIR"
    DB_FILE="$ARCHIVE_DIR/archive-$ARTICLES-$SEED.db"
else
    DB_FILE="$TMP/archive.db"
fi
DB="sqlite://$DB_FILE"
if [ -f "$DB_FILE.ready" ]; then
    say "reusing the archive in $DB_FILE"
    read -r GEN_MS REINDEX_MS <"$DB_FILE.ready"
else
    rm -rf "$DB_FILE" "$DB_FILE-wal" "$DB_FILE-shm" "$DB_FILE.search"
    say "generating $ARTICLES articles ..."
    T0=$(date +%s%N)
    "$BIN" gen --articles "$ARTICLES" --seed "$SEED" --database "$DB" >"$TMP/gen.out" 2>&1 || { cat "$TMP/gen.out" >&2; die "warraq gen failed"; }
    GEN_MS=$(ms_since "$T0")
    say "indexing ..."
    T0=$(date +%s%N)
    "$BIN" reindex --database "$DB" >"$TMP/reindex.out" 2>&1 || { tail -n 20 "$TMP/reindex.out" >&2; die "warraq reindex failed"; }
    REINDEX_MS=$(ms_since "$T0")
    echo "$GEN_MS $REINDEX_MS" >"$DB_FILE.ready"
fi
DB_MB=$(du -sm "$DB_FILE" | cut -f1)
INDEX_MB=$(du -sm "$DB_FILE.search" 2>/dev/null | cut -f1 || echo '?')

# --- 2. URLs, checked against a first server ---------------------------------------------------
say "collecting URLs ..."
TIME_ZONE=$TIME_ZONE PAGE_SIZE=$PAGE_SIZE SEED=$SEED WARM_PAGES=$WARM_PAGES SAMPLE=$SAMPLE \
    LIST_REQUESTS=$LIST_REQUESTS HOME_REQUESTS=$HOME_REQUESTS SEARCHES=$SEARCHES \
    python3 "$TMP/collect.py" "$DB_FILE" "$TMP"
# shellcheck source=/dev/null # written by collect.py: numbers and paths
. "$TMP/meta.sh"
COLD_URLS=$(wc -l <"$TMP/cold.txt")

serve
# The API's newest articles must have the URLs computed for them.
curl -fsS "$W/api/v1/articles?limit=20" | jq -r '.articles[] | "\(.id)\t\(.url)"' >"$TMP/api-urls.tsv"
[ -s "$TMP/api-urls.tsv" ] || die "/api/v1/articles gave no articles"
API_TOTAL=$(curl -fsS "$W/api/v1/articles?limit=1" | jq -r '.total')
[ "$API_TOTAL" = "$TOTAL" ] || die "the API counts $API_TOTAL published articles, the database $TOTAL"
awk -F'\t' 'NR == FNR { url[$1] = $2; next }
    url[$1] != $2 { printf "article %s: the API says %s, computed %s\n", $1, $2, url[$1]; bad = 1 }
    END { exit bad }' "$TMP/ids.tsv" "$TMP/api-urls.tsv" >&2 || die "computed article URLs differ from the API's"
# Deepest list pages: the last one answers 200, the one after it 404.
for kind in section tag; do
    last=$(sed -n 1p "$TMP/$kind-probe.txt"); after=$(sed -n 2p "$TMP/$kind-probe.txt")
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$W$last")
    [ "$code" = 200 ] || die "$last answered $code, not 200 (page size $PAGE_SIZE?)"
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$W$after")
    [ "$code" = 404 ] || die "$after answered $code, not 404 (page size $PAGE_SIZE?)"
done
API_LAST=$(curl -fsS "$W$API_PROBE" | jq '.articles | length')
[ "$API_LAST" -gt 0 ] || die "$API_PROBE has no articles"

# The sample for nginx, saved as warraq serves it (this also checks each
# computed URL answers 200). nginx decodes the path, so files sit at the
# Unicode path.
say "saving $(wc -l <"$TMP/sample.tsv") article pages for nginx ..."
mkdir -p "$TMP/www"
awk -F'\t' -v w="$W" -v www="$TMP/www" '{ printf "url = \"%s%s\"\noutput = \"%s%s/index.html\"\n", w, $1, www, $2 }' \
    "$TMP/sample.tsv" >"$TMP/sample.curl"
curl -sS --create-dirs -K "$TMP/sample.curl" -w '%{http_code} %{url_effective}\n' >"$TMP/sample.codes" || true
BAD=$(awk '$1 != 200' "$TMP/sample.codes" | wc -l)
[ "$BAD" -eq 0 ] || { awk '$1 != 200' "$TMP/sample.codes" | head -n 5 >&2; die "$BAD sampled article URLs did not answer 200"; }
[ "$(wc -l <"$TMP/sample.codes")" -eq "$(wc -l <"$TMP/sample.tsv")" ] || die "curl did not fetch every sampled page"
SAMPLE_N=$(wc -l <"$TMP/sample.tsv")
SAMPLE_KB=$(du -sk "$TMP/www" | awk -v n="$SAMPLE_N" '{ printf "%.0f", $1 / n }')
cut -f1 "$TMP/sample.tsv" >"$TMP/sample.txt"
stop "$WARRAQ_PID"

# --- 3. cold article pages on a fresh server ------------------------------------------------------
serve
while read -r p; do
    curl -fsS -o /dev/null "$W$p" || die "warm-up page $p failed"
done <"$TMP/warm.txt"
MACHINE=$(machine_line)
say "cold article pages: wrk -t$THREADS -c$CONNS -d$DURATION over $COLD_URLS URLs, each at most once ..."
# measure from lib.sh: no warm-up, which would use up the URLs.
export THREADS URLS="$TMP/cold.txt" WRAP=0 EXHAUSTED="$TMP/cold.exhausted"
measure cold "$W" "$WARRAQ_PID" -s "$HERE/urls.lua" --timeout 10s
COLD_RPS=$(rps "$TMP/cold.wrk")
COLD_REQS=$(awk '/requests in/ { print $1 }' "$TMP/cold.wrk")
COLD_TIME=$(sed -n 's/.*requests in \([^,]*\),.*/\1/p' "$TMP/cold.wrk")
COLD_NON2XX=$(awk '/Non-2xx/ { print $NF }' "$TMP/cold.wrk"); COLD_NON2XX=${COLD_NON2XX:-0}
if [ -e "$TMP/cold.exhausted" ]; then
    COLD_NOTE="every URL used: the run stopped after $COLD_TIME with $COLD_REQS of $COLD_URLS answered (raise ARTICLES for a full $DURATION)"
else
    COLD_NOTE="not exhausted ($COLD_REQS of $COLD_URLS URLs)"
fi
mem() { # VmRSS, RssAnon, RssFile and the peak, VmHWM, of the warraq process
    awk '{ kb[$1] = $2 } END { printf "VmRSS %.0f MB (RssAnon %.0f MB, RssFile %.0f MB), peak VmHWM %.0f MB\n",
        kb["VmRSS:"] / 1024, kb["RssAnon:"] / 1024, kb["RssFile:"] / 1024, kb["VmHWM:"] / 1024 }' "/proc/$WARRAQ_PID/status"
}
MEM_COLD=$(mem)
# The target is for the cold load (DESIGN.md); what the searches then map
# of the index (file-backed, the kernel's to drop) is shown apart.
RSS_COLD_MB=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$WARRAQ_PID/status")

# --- 4. nginx: the sample as static files -------------------------------------------------------------
chmod 755 "$TMP"
chmod -R a+rX "$TMP/www"
start_nginx "$NGINX_WORKERS" "$(head -n 1 "$TMP/sample.txt")" "location / { root $TMP/www; }"
P=$(head -n 1 "$TMP/sample.txt")
curl -fsS "$N$P" | cmp -s - "$TMP/www/$(head -n 1 "$TMP/sample.tsv" | cut -f2)/index.html" || die "nginx does not serve the saved page at $P"
say "nginx: wrk -t$THREADS -c$CONNS -d$DURATION over the $SAMPLE_N saved pages, repeating (after a $WARMUP warm-up) ..."
export URLS="$TMP/sample.txt" WRAP=1 EXHAUSTED=
# shellcheck disable=SC2046 # the nginx master and its workers
bench nginx "$N" "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" -s "$HERE/urls.lua" --timeout 10s
stop "$NGINX_PID"
NGINX_RPS=$(rps "$TMP/nginx.wrk")

# --- 5. list pages and 6. search, on the same server: URLs it has never seen ---------------------------
for kind in api home-ar home-en section tag search; do
    say "$kind: $(wc -l <"$TMP/$kind.txt") requests, one client ..."
    python3 "$TMP/client.py" "$W" "$TMP/$kind.txt" "$KIND_SECONDS" >"$TMP/$kind.lat" 2>"$TMP/$kind.errors" ||
        die "the latency client failed on $kind: $(tail -n 3 "$TMP/$kind.errors")"
done

# --- 7. memory ----------------------------------------------------------------------------------------
kill -0 "$WARRAQ_PID" 2>/dev/null || die "warraq is gone"
MEM_END=$(mem)
RSS_MB=$(awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$WARRAQ_PID/status")

# --- 8. summary -----------------------------------------------------------------------------------------
list_line() { # list_line KIND LABEL DETAIL
    local f="$TMP/$1.lat" p99 extra=
    p99=$(field "$f" p99)
    [ "$(field "$f" stopped)" = 1 ] && extra=" (stopped after ${KIND_SECONDS}s)"
    [ "$(field "$f" non2xx)" != 0 ] || [ "$(field "$f" errors)" != 0 ] &&
        extra="$extra, NON-2XX $(field "$f" non2xx), ERRORS $(field "$f" errors)"
    printf '  %-38s %4s req%s: p50 %6.2f ms, p99 %6.2f ms, max %6.2f ms %s; %s\n' "$2" "$(field "$f" n)" "$extra" \
        "$(field "$f" p50)" "$p99" "$(field "$f" max)" "$(ok_if "$p99 < 50")" "$3"
}
R=$(awk -v a="$COLD_RPS" -v b="$NGINX_RPS" 'BEGIN { printf "%.3f", a / b }')
X=$(awk -v a="$COLD_RPS" -v b="$WORDPRESS_RPS" 'BEGIN { printf "%.1f", a / b }')
{
    echo
    echo "archive: $TOTAL published articles (warraq gen --articles $ARTICLES --seed $SEED), SQLite $DB_MB MB, search index $INDEX_MB MB"
    echo "  gen $(secs "$GEN_MS"), reindex $(secs "$REINDEX_MS")"
    echo "$MACHINE"
    echo "knobs: ARTICLES=$ARTICLES THREADS=$THREADS CONNS=$CONNS DURATION=$DURATION WARMUP=$WARMUP NGINX_WORKERS=$NGINX_WORKERS SAMPLE=$SAMPLE LIST_REQUESTS=$LIST_REQUESTS HOME_REQUESTS=$HOME_REQUESTS SEARCHES=$SEARCHES KIND_SECONDS=$KIND_SECONDS SEED=$SEED"
    echo "binary: $BIN"
    echo "cold article pages: fresh server, wrk -t$THREADS -c$CONNS -d$DURATION --latency, each URL at most once, shuffled; $COLD_NOTE"
    wrk_line cold "warraq cold"
    echo "  non-2xx: $COLD_NON2XX of $COLD_REQS$([ "$COLD_NON2XX" = 0 ] || echo " (should be 0)")"
    echo "nginx static: the same pages ($SAMPLE_N saved from warraq, ${SAMPLE_KB} KB each on disk), repeated; $WARMUP warm-up; worker_processes $NGINX_WORKERS ($NWORKERS workers)"
    wrk_line nginx "nginx static"
    echo "ratio warraq cold/nginx: $R (target >= 0.04) $(ok_if "$R >= 0.04")"
    echo "warraq cold vs WordPress's $WORDPRESS_RPS req/s: ${X}x (target >= 20x, $((20 * WORDPRESS_RPS)) req/s) $(ok_if "$X >= 20")"
    echo "list pages: one keep-alive client, request to body read; distinct URLs each asked once (home: the same URL, first asked cold); target p99 < 50 ms"
    list_line api "/api/v1/articles?limit=100&page=N" "N from 1 to $API_PAGES"
    list_line home-ar "/ (home)" "first (cold) $(field "$TMP/home-ar.lat" first) ms, the rest from the page cache"
    list_line home-en "/en/ (home)" "first (cold) $(field "$TMP/home-en.lat" first) ms, the rest from the page cache"
    list_line section "/section/{slug}/?page=N" "$SECTION_LISTS sections, $SECTION_ALL_PAGES pages in all, deepest $SECTION_DEEPEST"
    list_line tag "/tag/{slug}/?page=N" "$TAG_LISTS tags, $TAG_ALL_PAGES pages in all, deepest $TAG_DEEPEST"
    f="$TMP/search.lat"
    printf 'search: /api/v1/search?q=..., %s distinct queries of 1-3 headline words, each once, one client%s\n' "$(field "$f" n)" \
        "$([ "$(field "$f" stopped)" = 1 ] && echo " (stopped after ${KIND_SECONDS}s)")"
    printf '  p50 %.2f ms (target < 5 ms) %s; p99 %.2f ms (target < 20 ms) %s; max %.2f ms; non-2xx %s, errors %s\n' \
        "$(field "$f" p50)" "$(ok_if "$(field "$f" p50) < 5")" "$(field "$f" p99)" "$(ok_if "$(field "$f" p99) < 20")" \
        "$(field "$f" max)" "$(field "$f" non2xx)" "$(field "$f" errors)"
    echo "memory of warraq (/proc/PID/status):"
    echo "  after the cold pages: $MEM_COLD"
    echo "  after all loads:      $MEM_END"
    echo "  resident after the cold load $RSS_COLD_MB MB (target < 300 MB) $(ok_if "$RSS_COLD_MB < 300"); after all loads $RSS_MB MB"
}
