#!/usr/bin/env bash
# View hits: warraq's POST /hit against nginx answering 204 to the same
# requests, in one run on loopback; most-read latency from the API under that
# load; and, after a SIGTERM, the stored total against the hits accepted.
#
# Knobs (environment): THREADS (wrk -t, 2), CONNS (wrk -c, 64),
# DURATION (15s), WARMUP (3s), NGINX_WORKERS (auto).
THREADS=${THREADS:-2}
CONNS=${CONNS:-64}
DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-3s}
NGINX_WORKERS=${NGINX_WORKERS:-auto}
# shellcheck source=../lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

ensure_tools
DB="sqlite://$TMP/warraq.db"
start_warraq --demo --database "$DB"
HIT_IDS=$(curl -fsS "$W/api/v1/articles?limit=100" | jq -r '[.articles[].id] | join(",")')
export HIT_IDS
[ -n "$HIT_IDS" ] || die "no articles in the demo"
start_nginx "$NGINX_WORKERS" /hit 'location = /hit { return 204; }'

accepted() { curl -fsS "$W/metrics" | awk '$1 == "warraq_hits_accepted_total" { print $2 }'; }
stored_all() { # views of all articles, as the most-read API sees them
    curl -fsS "$W/api/v1/most-read?window=all&limit=100" | jq '[.articles[].views] | add // 0'
}

MACHINE=$(machine_line)
say "benchmarking: wrk -t$THREADS -c$CONNS -d$DURATION --latency -s hits.lua (after a $WARMUP warm-up each) ..."
# Most-read questions from the API while the hits pour in: one client, in turn.
(sleep 1; wrk -t1 -c1 -d"$DURATION" --latency "$W/api/v1/most-read?window=24h&limit=10" >"$TMP/most-read.wrk") &
READER=$!
bench warraq "$W/hit" "$WARRAQ_PID" -s "$HERE/hits.lua"
wait "$READER"

# Counts become visible at the next flush (1 s by default).
ACCEPTED=$(accepted)
START=$(date +%s%N)
VISIBLE=
for _ in $(seq 100); do
    if [ "$(stored_all)" = "$ACCEPTED" ]; then
        VISIBLE=$(( ($(date +%s%N) - START) / 1000000 ))
        break
    fi
    sleep 0.05
done

# A graceful stop flushes what is buffered: the database must hold every
# accepted hit, exactly.
stop "$WARRAQ_PID"
STORED=$("$BIN" stats top --window all --limit 1000 --database "$DB" 2>/dev/null | awk '{ s += $2 } END { print s + 0 }')

# shellcheck disable=SC2046 # the nginx master and its workers
bench nginx "$N/hit" "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" -s "$HERE/hits.lua"

WRPS=$(rps "$TMP/warraq.wrk")
NRPS=$(rps "$TMP/nginx.wrk")
R=$(ratio "$WRPS" "$NRPS")
{
    echo
    echo "view hits: POST /hit, text/plain {\"id\":N}, a new reader per request, over $(echo "$HIT_IDS" | tr ',' '\n' | wc -l) articles"
    echo "$MACHINE"
    echo "wrk: -t$THREADS -c$CONNS -d$DURATION --latency, keep-alive; $WARMUP warm-up per server"
    wrk_line warraq warraq
    wrk_line nginx "nginx return 204"
    echo "ratio warraq/nginx: $R (target >= 0.6) $(awk -v r="$R" 'BEGIN { print (r >= 0.6 ? "ok" : "BELOW TARGET") }')"
    printf 'most-read API under that load (1 client): %.0f req/s, p50 %s, p99 %s (target p99 < 5ms)\n' \
        "$(rps "$TMP/most-read.wrk")" "$(pct "$TMP/most-read.wrk" 50)" "$(pct "$TMP/most-read.wrk" 99)"
    echo "hits accepted (/metrics): $ACCEPTED; visible in most read after ${VISIBLE:-more than 5000} ms"
    echo "stored after SIGTERM: $STORED $([ "$STORED" = "$ACCEPTED" ] && echo "= accepted: ok" || echo "!= accepted: LOST OR EXTRA HITS")"
}
[ "$STORED" = "$ACCEPTED" ]
