#!/usr/bin/env bash
# Cached article page throughput: warraq vs. nginx serving the same bytes as a
# static file. See bench/page/README.md.
#
# Knobs (environment): THREADS (wrk -t, 2), CONNS (wrk -c, 64),
# DURATION (10s), WARMUP (3s), NGINX_WORKERS (auto).
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DURATION=${DURATION:-10s}
WARMUP=${WARMUP:-3s}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

ensure_tools
start_warraq --demo --database "sqlite://$TMP/warraq.db"

# The newest Arabic article; this first request renders it into the cache.
URL=$(curl -fsS "$W/api/v1/articles?lang=ar&limit=1" | jq -r '.articles[0].url // empty')
[ -n "$URL" ] && [ "${URL:0:1}" = / ] || die "no Arabic article in the API answer"
mkdir -p "$TMP/www"
curl -fsS -D "$TMP/headers" -o "$TMP/www/index.html" "$W$URL"
BYTES=$(wc -c <"$TMP/www/index.html")
ETAG=$(sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' "$TMP/headers")
[ -n "$ETAG" ] || die "warraq gave no ETag for $URL"

# Revalidation and gzip, checked once.
CODE=$(curl -sS -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$W$URL")
[ "$CODE" = 304 ] || die "If-None-Match: $ETAG got $CODE, not 304"
curl -fsS -H 'Accept-Encoding: gzip' -D "$TMP/gz.headers" -o "$TMP/page.gz" "$W$URL"
grep -qi '^content-encoding: *gzip' "$TMP/gz.headers" || die "Accept-Encoding: gzip did not get Content-Encoding: gzip"
gzip -dc "$TMP/page.gz" | cmp -s - "$TMP/www/index.html" || die "the gzip body does not inflate to the page"
GZBYTES=$(wc -c <"$TMP/page.gz")

# nginx serves the same bytes at the same path. Its workers may run as
# nobody: let them read the page.
chmod 755 "$TMP" "$TMP/www"
chmod 644 "$TMP/www/index.html"
start_nginx "$NGINX_WORKERS" "$URL" "location / { root $TMP/www; try_files /index.html =404; }"
curl -fsS "$N$URL" | cmp -s - "$TMP/www/index.html" || die "nginx does not serve the same bytes as warraq"

MACHINE=$(machine_line)
say "benchmarking: wrk -t$THREADS -c$CONNS -d$DURATION --latency (after a $WARMUP warm-up each) ..."
# wrk sends no Accept-Encoding, so both servers send the same uncompressed bytes.
bench warraq "$W$URL" "$WARRAQ_PID"
bench nginx "$N$URL" "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')"

R=$(ratio "$(rps "$TMP/warraq.wrk")" "$(rps "$TMP/nginx.wrk")")
{
    echo
    echo "article page (Arabic), $BYTES bytes ($GZBYTES gzipped)"
    echo "  $URL"
    echo "$MACHINE"
    echo "wrk: -t$THREADS -c$CONNS -d$DURATION --latency, keep-alive, no Accept-Encoding; $WARMUP warm-up per server"
    echo "nginx: worker_processes $NGINX_WORKERS ($NWORKERS workers), sendfile, open_file_cache, access_log off"
    wrk_line warraq warraq
    wrk_line nginx "nginx static"
    echo "ratio warraq/nginx: $R (target >= 0.5) $(awk -v r="$R" 'BEGIN { print (r >= 0.5 ? "ok" : "BELOW TARGET") }')"
    echo "checks: If-None-Match -> 304 ok; Accept-Encoding: gzip -> Content-Encoding: gzip ok, $GZBYTES bytes"
}
