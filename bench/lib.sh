# Shared pieces of the HTTP benchmarks in bench/*/run.sh: tools, the release
# binary, starting warraq and nginx on loopback, wrk runs with CPU accounting,
# and clean-up. Source it; it sets `set -euo pipefail` and an EXIT trap.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# WARRAQ_BIN: a prebuilt binary to measure instead of building one.
BIN=${WARRAQ_BIN:-$ROOT/target/release/warraq}

say() { printf '%s\n' "$*" >&2; }
die() { say "$(basename "$0"): $*"; exit 1; }

# --- tools and binary ---------------------------------------------------------
ensure_tools() { # ensure_tools: wrk, nginx, jq from Debian when missing
    local need=()
    command -v wrk >/dev/null || need+=(wrk)
    command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
    command -v jq >/dev/null || need+=(jq)
    if [ ${#need[@]} -gt 0 ]; then
        local sudo=
        [ "$(id -u)" -eq 0 ] || sudo=sudo
        say "installing ${need[*]} ..."
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
    fi
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
    if [ -z "${WARRAQ_BIN:-}" ] && command -v cargo >/dev/null; then
        say "building the release binary (a no-op when up to date) ..."
        (cd "$ROOT" && cargo build --release -p warraq --quiet)
    fi
    [ -x "$BIN" ] || die "$BIN is missing and cargo is not available"
}

# --- temp dir and clean-up ------------------------------------------------------
TMP=$(mktemp -d "${TMPDIR:-/tmp}/warraq-bench.XXXXXX")
PIDS=()

stop() { # stop PID: TERM, then KILL after 10 s
    local pid=$1
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || return 0
    for _ in $(seq 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}
cleanup() {
    local rc=$? pid
    set +e
    for pid in "${PIDS[@]}"; do stop "$pid"; done
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

# --- servers --------------------------------------------------------------------
start_warraq() { # start_warraq ARGS...: serve on a port the system picks; sets WARRAQ_PID, W
    # Emptied first: a restarted server must not be found at the old port.
    : >"$TMP/warraq.out"
    "$BIN" serve --listen 127.0.0.1:0 "$@" >"$TMP/warraq.out" 2>"$TMP/warraq.err" &
    WARRAQ_PID=$!
    PIDS+=("$WARRAQ_PID")
    local port=
    for _ in $(seq 300); do
        port=$(sed -n 's|^listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$TMP/warraq.out")
        [ -n "$port" ] && break
        kill -0 "$WARRAQ_PID" 2>/dev/null || die "warraq exited before listening"
        sleep 0.1
    done
    [ -n "$port" ] || die "warraq did not say where it listens"
    W="http://127.0.0.1:$port"
    for _ in $(seq 300); do
        curl -fsS -o /dev/null "$W/healthz" 2>/dev/null && return 0
        sleep 0.1
    done
    die "warraq /healthz is not answering"
}

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

start_nginx() { # start_nginx WORKERS PROBE_PATH SERVER_BODY: sets NGINX_PID, N, NWORKERS
    local workers=$1 probe=$2 body=$3 port
    mkdir -p "$TMP/nginx"
    for _ in 1 2 3 4 5; do
        port=$(free_port) || die "no free loopback port"
        cat >"$TMP/nginx.conf" <<CONF
daemon off;
master_process on;
worker_processes $workers;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx-error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    default_type text/html;
    charset utf-8;
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
        listen 127.0.0.1:$port;
        $body
    }
}
CONF
        "$NGINX" -e "$TMP/nginx-error.log" -p "$TMP/nginx" -c "$TMP/nginx.conf" &
        NGINX_PID=$!
        for _ in $(seq 50); do
            if curl -sS -o /dev/null "http://127.0.0.1:$port$probe" 2>/dev/null; then
                PIDS+=("$NGINX_PID")
                N="http://127.0.0.1:$port"
                NWORKERS=$(pgrep -P "$NGINX_PID" | wc -l)
                return 0
            fi
            kill -0 "$NGINX_PID" 2>/dev/null || break
            sleep 0.1
        done
        stop "$NGINX_PID"
    done
    die "nginx did not start"
}

# --- wrk with CPU accounting ---------------------------------------------------------
# CPU over the measured run, in clock ticks: the whole machine (/proc/stat), the
# server's processes (/proc/PID/stat) and wrk (this shell's waited-for children,
# from `times`). What is left is other work on the machine, which makes a run
# unreliable.
TICK=$(getconf CLK_TCK)
machine_ticks() { awk '/^cpu / { print $2+$3+$4+$5+$6+$7+$8+$9, $5+$6 }' /proc/stat; }
proc_ticks() { # sum of utime+stime over PIDs
    local pid sum=0 t
    for pid in "$@"; do
        t=$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }') || t=0
        sum=$((sum + ${t:-0}))
    done
    echo "$sum"
}
child_ticks() { # run in this shell, not in $(...): a subshell has no children yet
    times >"$TMP/times"
    awk -v hz="$TICK" 'NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/)
        printf "%.0f\n", (u[1] * 60 + u[2] + s[1] * 60 + s[2]) * hz }' "$TMP/times"
}

# bench NAME URL PIDS [WRK_ARGS...]: a warm-up, then the measured run into
# $TMP/NAME.wrk, with CPU use in $TMP/NAME.cpu. PIDS is a quoted list.
bench() {
    local name=$1 url=$2 pids=$3
    shift 3
    wrk -t"$THREADS" -c"$CONNS" -d"$WARMUP" "$@" "$url" >/dev/null
    measure "$name" "$url" "$pids" "$@"
}
# measure NAME URL PIDS [WRK_ARGS...]: the measured run alone, no warm-up.
measure() {
    local name=$1 url=$2 pids=$3 m0 m1 p0 p1 c0 c1
    shift 3
    child_ticks >"$TMP/c0"
    # shellcheck disable=SC2086 # PIDS is a list
    m0=$(machine_ticks); p0=$(proc_ticks $pids)
    wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$url" >"$TMP/$name.wrk"
    # shellcheck disable=SC2086
    m1=$(machine_ticks); p1=$(proc_ticks $pids)
    child_ticks >"$TMP/c1"
    c0=$(cat "$TMP/c0"); c1=$(cat "$TMP/c1")
    echo "$m0 $m1 $p0 $p1 $c0 $c1" >"$TMP/$name.cpu"
}
cpu_line() { # cpu_line NAME: where the machine's CPU went during the run
    local reqs
    reqs=$(awk '/requests in/ { print $1 }' "$TMP/$1.wrk")
    awk -v reqs="$reqs" -v hz="$TICK" '{
        total = $3 - $1; busy = total - ($4 - $2); server = $6 - $5; wrk = $8 - $7
        other = busy - server - wrk; if (other < 0) other = 0
        printf "  CPU during the run: server %.0f%%, wrk %.0f%%, other %.0f%%, idle %.0f%% (of all cores); server %.1f us CPU/request\n",
            100 * server / total, 100 * wrk / total, 100 * other / total, 100 * (total - busy) / total,
            (reqs > 0) ? 1e6 * server / hz / reqs : 0
        if (100 * other / total >= 10) print "  warning: other work took " int(100 * other / total) "% of the CPU during this run"
    }' "$TMP/$1.cpu"
}
rps() { awk '/^Requests\/sec:/ { print $2 }' "$1"; }
pct() { awk -v p="$2%" '$1 == p { print $2; exit }' "$1"; }
wrk_line() { # wrk_line NAME LABEL: requests/second, latency percentiles, errors, CPU
    printf '%s: %.0f req/s (p50 %s, p99 %s)\n' "$2" "$(rps "$TMP/$1.wrk")" "$(pct "$TMP/$1.wrk" 50)" "$(pct "$TMP/$1.wrk" 99)"
    grep -E 'Non-2xx|Socket errors' "$TMP/$1.wrk" | sed 's/^ */  /' || true
    cpu_line "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# Other work on the machine skews the comparison; say so rather than hide it.
cpu_busy() { # percent of all CPU time not idle over one second
    local a b
    a=$(machine_ticks); sleep 1; b=$(machine_ticks)
    echo "$a $b" | awk '{ t = $3 - $1; i = $4 - $2; printf "%.0f", (t > 0) ? 100 * (t - i) / t : 0 }'
}
machine_line() { echo "machine: $(nproc) cores shared by the servers and wrk; $(uname -sr); load $(cut -d' ' -f1 /proc/loadavg), CPU $(cpu_busy)% busy before the runs"; }
