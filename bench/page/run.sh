#!/usr/bin/env bash
# Cached article page throughput: warraq vs. nginx serving the same bytes as a
# static file. See bench/page/README.md.
#
# Knobs (environment): THREADS (wrk -t, 2), CONNS (wrk -c, 64),
# DURATION (10s), WARMUP (3s), NGINX_WORKERS (auto).
set -euo pipefail

THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
NGINX_WORKERS=${NGINX_WORKERS:-auto}

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
BIN="$ROOT/target/release/warraq"

say() { printf '%s\n' "$*" >&2; }
die() { say "run.sh: $*"; exit 1; }

# --- 1. tools and binary ---------------------------------------------------
need=()
command -v wrk >/dev/null || need+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v jq >/dev/null || command -v python3 >/dev/null || need+=(jq)
if [ ${#need[@]} -gt 0 ]; then
    SUDO=
    [ "$(id -u)" -eq 0 ] || SUDO=sudo
    say "installing ${need[*]} ..."
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

if command -v cargo >/dev/null; then
    say "building the release binary (a no-op when up to date) ..."
    (cd "$ROOT" && cargo build --release -p warraq --quiet)
fi
[ -x "$BIN" ] || die "$BIN is missing and cargo is not available"

# --- temp dir and clean-up --------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/warraq-bench-page.XXXXXX")
WARRAQ_PID=
NGINX_PID=

stop() { # stop PID: TERM, then KILL after 10 s
    local pid=$1 i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$?
    set +e
    stop "$NGINX_PID"    # nginx master: TERM stops its workers too
    stop "$WARRAQ_PID"
    if [ $rc -ne 0 ]; then
        for f in warraq.err nginx-error.log; do
            [ -s "$TMP/$f" ] && { say "--- $f (last lines)"; tail -n 20 "$TMP/$f" >&2; }
        done
    fi
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 2. warraq ----------------------------------------------------------------
# Port 0: the system picks a free port and warraq prints it.
"$BIN" serve --demo --database "sqlite://$TMP/warraq.db" --listen 127.0.0.1:0 \
    >"$TMP/warraq.out" 2>"$TMP/warraq.err" &
WARRAQ_PID=$!
WARRAQ_PORT=
for _ in $(seq 300); do
    WARRAQ_PORT=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$TMP/warraq.out")
    [ -n "$WARRAQ_PORT" ] && break
    kill -0 "$WARRAQ_PID" 2>/dev/null || die "warraq exited before listening"
    sleep 0.1
done
[ -n "$WARRAQ_PORT" ] || die "warraq did not say where it listens"
W="http://127.0.0.1:$WARRAQ_PORT"
for _ in $(seq 300); do
    curl -fsS -o /dev/null "$W/healthz" 2>/dev/null && break
    sleep 0.1
done
curl -fsS -o /dev/null "$W/healthz" || die "warraq /healthz is not answering"

# --- 3. the newest Arabic article --------------------------------------------
curl -fsS "$W/api/v1/articles?lang=ar&limit=1" >"$TMP/api.json"
if command -v jq >/dev/null; then
    URL=$(jq -r '.articles[0].url // empty' "$TMP/api.json")
else
    URL=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["articles"]; print(a[0]["url"] if a else "")' "$TMP/api.json")
fi
[ -n "$URL" ] && [ "${URL:0:1}" = / ] || die "no Arabic article in the API answer"

mkdir -p "$TMP/www"
# This first request renders the page and fills warraq's page cache.
curl -fsS -D "$TMP/headers" -o "$TMP/www/index.html" "$W$URL"
BYTES=$(wc -c <"$TMP/www/index.html")
ETAG=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' "$TMP/headers")
[ -n "$ETAG" ] || die "warraq gave no ETag for $URL"

# --- 6. revalidation and gzip, checked once ----------------------------------
CODE=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$W$URL")
[ "$CODE" = 304 ] || die "If-None-Match: $ETAG got $CODE, not 304"
curl -fsS -H 'Accept-Encoding: gzip' -D "$TMP/gz.headers" -o "$TMP/page.gz" "$W$URL"
grep -qi '^content-encoding: *gzip' "$TMP/gz.headers" \
    || die "Accept-Encoding: gzip did not get Content-Encoding: gzip"
gzip -dc "$TMP/page.gz" | cmp -s - "$TMP/www/index.html" \
    || die "the gzip body does not inflate to the page"
GZBYTES=$(wc -c <"$TMP/page.gz")

# --- 4. nginx, serving the same bytes ------------------------------------------
mkdir -p "$TMP/nginx"
# When run as root the workers drop to nobody/www-data: let them read the page.
chmod 755 "$TMP" "$TMP/www"
chmod 644 "$TMP/www/index.html"

free_port() { # a loopback port nobody listens on (nginx start-up confirms it)
    local p
    for _ in $(seq 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

NGINX_PORT=
for attempt in 1 2 3 4 5; do
    NGINX_PORT=$(free_port) || die "no free loopback port"
    cat >"$TMP/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes $NGINX_WORKERS;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/html;
    sendfile on;
    tcp_nopush on;
    tcp_nodelay on;
    keepalive_timeout 65;
    keepalive_requests 1000000;   # hyper never closes a keep-alive connection
    open_file_cache max=100 inactive=60s;
    client_body_temp_path $TMP/nginx/body;
    proxy_temp_path $TMP/nginx/proxy;
    fastcgi_temp_path $TMP/nginx/fastcgi;
    uwsgi_temp_path $TMP/nginx/uwsgi;
    scgi_temp_path $TMP/nginx/scgi;
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / { root $TMP/www; try_files /index.html =404; }
    }
}
EOF
    "$NGINX" -e "$TMP/nginx-error.log" -p "$TMP/nginx" -c "$TMP/nginx.conf" &
    NGINX_PID=$!
    for _ in $(seq 50); do
        curl -fsS -o /dev/null "http://127.0.0.1:$NGINX_PORT$URL" 2>/dev/null && break 2
        kill -0 "$NGINX_PID" 2>/dev/null || break
        sleep 0.1
    done
    stop "$NGINX_PID"
    NGINX_PID=
done
[ -n "$NGINX_PID" ] || die "nginx did not start"
N="http://127.0.0.1:$NGINX_PORT"
curl -fsS "$N$URL" | cmp -s - "$TMP/www/index.html" \
    || die "nginx does not serve the same bytes as warraq"
NWORKERS=$(pgrep -P "$NGINX_PID" | wc -l)

# --- 5. wrk ---------------------------------------------------------------------
# wrk sends no Accept-Encoding, so both servers send the same uncompressed bytes.
bench() { # bench NAME URL: warm-up, then the measured run into $TMP/NAME.wrk
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$2" >/dev/null
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$2" >"$TMP/$1.wrk"
}
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
pct() { awk -v p="$2%" '$1 == p { print $2; exit }' "$1"; }

say "benchmarking: wrk -t$THREADS -c$CONNS -d$DURATION --latency (after a $WARMUP warm-up each) ..."
bench warraq "$W$URL"
bench nginx "$N$URL"

WRPS=$(rps "$TMP/warraq.wrk")
NRPS=$(rps "$TMP/nginx.wrk")
[ -n "$WRPS" ] && [ -n "$NRPS" ] || die "could not read Requests/sec from wrk"
RATIO=$(awk -v w="$WRPS" -v n="$NRPS" 'BEGIN { printf "%.2f", w / n }')
VERDICT=$(awk -v r="$RATIO" 'BEGIN { print (r >= 0.5 ? "ok" : "BELOW TARGET") }')

line() { # line NAME LABEL RPS
    printf '%s: %.0f req/s (p50 %s, p99 %s)\n' "$2" "$3" "$(pct "$TMP/$1.wrk" 50)" "$(pct "$TMP/$1.wrk" 99)"
    grep -E 'Non-2xx|Socket errors' "$TMP/$1.wrk" | sed 's/^ */  /' || true
}
{
    echo
    echo "article page (Arabic), $BYTES bytes ($GZBYTES gzipped)"
    echo "  $URL"
    echo "machine: $(nproc) cores shared by warraq, nginx and wrk; $(uname -sr)"
    echo "wrk: -t$THREADS -c$CONNS -d$DURATION --latency, keep-alive, no Accept-Encoding; $WARMUP warm-up per server"
    echo "nginx: worker_processes $NGINX_WORKERS ($NWORKERS workers), sendfile, open_file_cache, access_log off"
    line warraq warraq "$WRPS"
    line nginx "nginx static" "$NRPS"
    echo "ratio warraq/nginx: $RATIO (target >= 0.5) $VERDICT"
    echo "checks: If-None-Match -> 304 ok; Accept-Encoding: gzip -> Content-Encoding: gzip ok, $GZBYTES bytes"
}
