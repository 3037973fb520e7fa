#!/usr/bin/env bash
# Hosted workshop: several app processes behind HAProxy, one command (see docs/hosting.md).
#   ALIGNMENT_FACILITATOR_PASSCODE=... hosted/run.sh      (at least 8 characters)
#   hosted/run.sh --check    validates the settings and prints the app command, starts nothing
# HAProxy terminates TLS on PORT (default 8443), admits only the HOSTS names, keeps each browser
# on one process (a cookie), checks every process's health, and adds the security headers. The
# processes listen on 127.0.0.1 only, share one cookie secret and one store (ALIGNMENT_DATA_DIR,
# or the database ALIGNMENT_DATABASE_URL names, started here if it is on this machine and not
# running: hosted/local_postgres.sh), and are restarted if they die. Participants see
# generic error messages only, and code is never reloaded while people are working.
set -euo pipefail
cd "$(dirname "$0")/.."
# The passcode guards deleting proposals and adopting the deal. Surrounding whitespace is never
# part of it (the app strips it too), and what is left must be at least MIN_PASSCODE_LENGTH
# characters (workshop_ui/access.py checks the same): refuse anything else before starting.
MIN_PASSCODE_LENGTH=8
passcode="${ALIGNMENT_FACILITATOR_PASSCODE-}"
passcode="${passcode#"${passcode%%[![:space:]]*}"}"
passcode="${passcode%"${passcode##*[![:space:]]}"}"
if [[ -z "$passcode" ]]; then
  echo "hosted/run.sh: ALIGNMENT_FACILITATOR_PASSCODE is unset, empty or only whitespace;" \
    "set it to a facilitator passcode of at least $MIN_PASSCODE_LENGTH characters." >&2
  exit 2
fi
if (( ${#passcode} < MIN_PASSCODE_LENGTH )); then
  echo "hosted/run.sh: ALIGNMENT_FACILITATOR_PASSCODE is shorter than $MIN_PASSCODE_LENGTH" \
    "characters (not counting surrounding whitespace); choose a longer passcode." >&2
  exit 2
fi
unset passcode
export ALIGNMENT_DATA_DIR="${ALIGNMENT_DATA_DIR:-$PWD/workshop_data}"
PYTHON="${PYTHON:-.venv/bin/python}"
PROCESSES="${PROCESSES:-$(nproc)}"
export PORT="${PORT:-8443}" BIND_ADDRESS="${ADDRESS:-0.0.0.0}"
BACKEND_PORT="${BACKEND_PORT:-8601}"
HOSTS="${HOSTS:-localhost}"
export RUN_DIR="${RUN_DIR:-$ALIGNMENT_DATA_DIR/.hosted}"
export REQUEST_TIMEOUT="${REQUEST_TIMEOUT:-10s}"
export MAX_CONNECTIONS="${MAX_CONNECTIONS:-2000}"
export CONNECTIONS_PER_ADDRESS="${CONNECTIONS_PER_ADDRESS:-400}"
export UPLOADS_PER_MINUTE="${UPLOADS_PER_MINUTE:-30}"
export UPLOADS_PER_SESSION_MINUTE="${UPLOADS_PER_SESSION_MINUTE:-10}"
UPLOAD_MB="${UPLOAD_MB:-50}"
RESTART_DELAY="${RESTART_DELAY:-1}"

fail() { echo "hosted/run.sh: $*" >&2; exit 2; }
whole() { [[ "$2" =~ ^[0-9]+$ ]] && (( $2 >= $3 && $2 <= $4 )) || fail "$1=$2: use a whole number from $3 to $4"; }
whole PROCESSES "$PROCESSES" 1 64
whole PORT "$PORT" 1 65535
whole BACKEND_PORT "$BACKEND_PORT" 1024 $((65535 - PROCESSES))
whole CONNECTIONS_PER_ADDRESS "$CONNECTIONS_PER_ADDRESS" 1 100000
whole MAX_CONNECTIONS "$MAX_CONNECTIONS" 1 100000
whole UPLOADS_PER_MINUTE "$UPLOADS_PER_MINUTE" 1 10000
whole UPLOADS_PER_SESSION_MINUTE "$UPLOADS_PER_SESSION_MINUTE" 1 10000
(( UPLOADS_PER_SESSION_MINUTE <= UPLOADS_PER_MINUTE )) \
  || fail "UPLOADS_PER_SESSION_MINUTE=$UPLOADS_PER_SESSION_MINUTE: at most UPLOADS_PER_MINUTE" \
    "($UPLOADS_PER_MINUTE), the limit for the address a session's uploads come from"
whole UPLOAD_MB "$UPLOAD_MB" 1 200
whole RESTART_DELAY "$RESTART_DELAY" 0 3600
if [[ -n "${ALIGNMENT_SESSION_GRACE_SECONDS-}" ]]; then  # read by the app (session_reaper.py)
  whole ALIGNMENT_SESSION_GRACE_SECONDS "$ALIGNMENT_SESSION_GRACE_SECONDS" 0 100
fi
[[ "$REQUEST_TIMEOUT" =~ ^[0-9]+(ms|s)$ ]] || fail "REQUEST_TIMEOUT=$REQUEST_TIMEOUT: use a time like 10s or 500ms"
export MAX_UPLOAD_BYTES=$(( UPLOAD_MB * 1024 * 1024 ))
for host in $HOSTS; do
  [[ "$host" =~ ^[A-Za-z0-9.-]+$ ]] || fail "HOSTS: '$host' is not a host name or address"
done
# Each process is restarted if it dies; its browsers reconnect to another meanwhile and restore
# their work from the store.
# Run in the background, the function's shell becomes the app process (exec), so the pid
# recorded is the app's own.
app_command() {
  exec "$PYTHON" -m workshop_ui.serve \
    --server.headless true \
    --server.address 127.0.0.1 \
    --server.port "$1" \
    --server.enableXsrfProtection true \
    --server.enableCORS true \
    --server.maxUploadSize "$UPLOAD_MB" \
    --server.fileWatcherType none \
    --server.runOnSave false \
    --client.showErrorDetails none \
    --client.toolbarMode viewer \
    --browser.gatherUsageStats false
}
app() {
  local index=$1 port=$2
  while [[ ! -f "$RUN_DIR/stopping" ]]; do
    app_command "$port" &
    echo $! > "$RUN_DIR/app$index.pid"
    wait $! || true
    [[ -f "$RUN_DIR/stopping" ]] && break
    echo "hosted/run.sh: app process $index (port $port) stopped; restarting it" >&2
    sleep "$RESTART_DELAY"
  done
}
# ALIGNMENT_DATABASE_URL naming a PostgreSQL on this machine that is not running: start one.
source hosted/local_postgres.sh
pg_plan
if [[ "${1-}" == "--check" ]]; then
  if (( PG_WANTED )); then
    echo "hosted/run.sh: would start PostgreSQL from $PG_BIN on $PG_HOST:$PG_PORT," \
      "data in $PG_DIR" >&2
  fi
  app_command "$BACKEND_PORT"  # becomes the command: with PYTHON=echo it prints it
fi
command -v haproxy >/dev/null || fail "haproxy is not installed (Debian: apt-get install haproxy)"
command -v openssl >/dev/null || fail "openssl is not installed (Debian: apt-get install openssl)"

mkdir -p "$RUN_DIR"
chmod 700 "$RUN_DIR"
: > "$RUN_DIR/hosts.lst"
for host in $HOSTS; do
  echo "${host,,}" >> "$RUN_DIR/hosts.lst"
done

# TLS: the certificate given in TLS_PEM (certificate and key in one PEM file), else a
# self-signed one for the HOSTS names, made once and kept in RUN_DIR.
export TLS_PEM="${TLS_PEM:-$RUN_DIR/self-signed.pem}"
if [[ ! -s "$TLS_PEM" ]]; then
  [[ "$TLS_PEM" == "$RUN_DIR/self-signed.pem" ]] || fail "TLS_PEM=$TLS_PEM does not exist"
  names=""
  for host in $HOSTS; do
    if [[ "$host" =~ ^[0-9.]+$ ]]; then names+="IP:$host,"; else names+="DNS:$host,"; fi
  done
  (umask 077; openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=${HOSTS%% *}" \
    -addext "subjectAltName=${names%,}" -keyout "$RUN_DIR/tls.key" -out "$RUN_DIR/tls.crt" \
    2>/dev/null && cat "$RUN_DIR/tls.crt" "$RUN_DIR/tls.key" > "$TLS_PEM")
  echo "hosted/run.sh: made a self-signed certificate for $HOSTS ($RUN_DIR/tls.crt)" >&2
fi

# One cookie secret for every process, so a browser moved to another process stays valid.
if [[ ! -s "$RUN_DIR/cookie-secret" ]]; then
  (umask 077; openssl rand -hex 32 > "$RUN_DIR/cookie-secret")
fi
STREAMLIT_SERVER_COOKIE_SECRET="$(cat "$RUN_DIR/cookie-secret")"
export STREAMLIT_SERVER_COOKIE_SECRET

{
  echo "backend app"
  echo "    balance leastconn"
  echo "    cookie WORKSHOP_PROCESS insert indirect nocache httponly secure attr SameSite=Lax"
  echo "    option httpchk GET /_stcore/health"
  echo "    http-check expect status 200"
  echo "    option redispatch"
  echo "    retries 2"
  echo "    default-server check inter 1s fall 2 rise 2"
  for (( i = 1; i <= PROCESSES; i++ )); do
    echo "    server app$i 127.0.0.1:$((BACKEND_PORT + i - 1)) cookie app$i"
  done
} > "$RUN_DIR/backend.cfg"
haproxy -c -q -f hosted/haproxy.cfg -f "$RUN_DIR/backend.cfg" || fail "the proxy configuration is invalid"

rm -f "$RUN_DIR/stopping"
children=()
stop() {
  touch "$RUN_DIR/stopping"
  trap - EXIT INT TERM
  kill "${children[@]}" 2>/dev/null || true
  for pidfile in "$RUN_DIR"/app*.pid; do
    [[ -f "$pidfile" ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  pg_stop
}
trap stop EXIT INT TERM
(( PG_WANTED )) && pg_start
# Compile the model's solvers once (or find them cached) before the processes start, so they
# do not each compile on their first visitor.
"$PYTHON" -c "from alignment import kernel_cache; kernel_cache.warm()" \
  || fail "the model's solvers did not compile (see the message above)"

for (( i = 1; i <= PROCESSES; i++ )); do
  app "$i" $((BACKEND_PORT + i - 1)) &
  children+=($!)
done
haproxy -db -f hosted/haproxy.cfg -f "$RUN_DIR/backend.cfg" &
children+=($!)
echo "$!" > "$RUN_DIR/proxy.pid"
echo "hosted/run.sh: $PROCESSES app processes behind https://${HOSTS%% *}:$PORT/" >&2
wait -n "${children[-1]}" || true
fail "the proxy stopped"
