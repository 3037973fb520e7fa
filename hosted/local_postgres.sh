# Sourced by hosted/run.sh: a PostgreSQL of the workshop's own, when ALIGNMENT_DATABASE_URL
# names one on this machine (localhost, 127.0.0.1 or [::1]) and nothing answers there.
#   pg_plan   reads the URL and decides (PG_WANTED=1), starting nothing: --check runs it too
#   pg_start  initialises the data folder once, starts the server, creates the database
#   pg_stop   stops the server pg_start started (run.sh's stop does, on any exit)
# The server is Debian's (/usr/lib/postgresql/<version>/bin, the newest installed), its data in
# ALIGNMENT_POSTGRES_DIR (default ALIGNMENT_DATA_DIR/postgres). It listens on the URL's address
# and port only, takes no local socket connections, and its one user is the URL's user with
# the URL's password (a superuser of this cluster only). PostgreSQL refuses to run as root: run
# as root, it runs as the postgres user, which must be able to reach the data folder.
# Uses run.sh's fail() and PROCESSES.

PG_WANTED=0
PG_STARTED=0
PG_AS=()

pg_plan() {
  local url="${ALIGNMENT_DATABASE_URL-}"
  [[ "$url" =~ ^postgresql(\+[A-Za-z0-9]+)?:// ]] || return 0
  local user='(([^:@/]*)(:([^@/]*))?@)?' host='(\[[0-9A-Fa-f:]+\]|[^:/?]+)'
  local shape="^postgresql(\\+[A-Za-z0-9]+)?://$user$host(:([^/?]*))?/([^?]*)(\\?.*)?\$"
  [[ "$url" =~ $shape ]] || fail "ALIGNMENT_DATABASE_URL is not of the form" \
    "postgresql+psycopg://user:password@host:port/database"
  PG_USER="$(_pg_decode "${BASH_REMATCH[3]}")"
  PG_PASSWORD="$(_pg_decode "${BASH_REMATCH[5]}")"
  PG_HOST="${BASH_REMATCH[6],,}"
  PG_PORT="${BASH_REMATCH[8]:-5432}"
  PG_DATABASE="$(_pg_decode "${BASH_REMATCH[9]}")"
  case "$PG_HOST" in
    localhost) PG_LISTEN=localhost PG_ADDRESS=127.0.0.1 ;;
    127.0.0.1) PG_LISTEN=127.0.0.1 PG_ADDRESS=127.0.0.1 ;;
    "[::1]") PG_LISTEN=::1 PG_ADDRESS=::1 ;;
    *) return 0 ;;  # another machine's: the app connects to it as it is
  esac
  [[ "$PG_PORT" =~ ^[0-9]+$ ]] && (( PG_PORT >= 1 && PG_PORT <= 65535 )) \
    || fail "ALIGNMENT_DATABASE_URL: port '$PG_PORT' is not a port number"
  _pg_answers && return 0  # a server is running there: use it as it is
  PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" && -x "$PG_BIN/psql" ]] \
    || fail "ALIGNMENT_DATABASE_URL names PostgreSQL at $PG_HOST:$PG_PORT, nothing answers" \
      "there, and PostgreSQL is not installed to start one (Debian: apt-get install postgresql)"
  local name='^[A-Za-z_][A-Za-z0-9_]{0,62}$'
  [[ "$PG_USER" =~ $name ]] || fail "ALIGNMENT_DATABASE_URL: for a PostgreSQL started here," \
    "name a user of letters, digits and _ (not '$PG_USER')"
  [[ "$PG_DATABASE" =~ $name ]] || fail "ALIGNMENT_DATABASE_URL: for a PostgreSQL started" \
    "here, name a database of letters, digits and _ (not '$PG_DATABASE')"
  [[ -n "$PG_PASSWORD" ]] || fail "ALIGNMENT_DATABASE_URL: give the user a password" \
    "(user:password@…): the PostgreSQL started here lets nobody in without one"
  PG_DIR="${ALIGNMENT_POSTGRES_DIR:-$ALIGNMENT_DATA_DIR/postgres}"
  if (( EUID == 0 )); then
    id -u postgres >/dev/null 2>&1 || fail "running as root, and there is no postgres user to" \
      "run PostgreSQL as (PostgreSQL refuses root; Debian's postgresql package makes the user)"
    PG_AS=(runuser -u postgres --)
  fi
  PG_WANTED=1
}

pg_start() {
  mkdir -p "$PG_DIR"
  chmod 700 "$PG_DIR"
  (( EUID == 0 )) && chown postgres: "$PG_DIR"
  "${PG_AS[@]}" test -w "$PG_DIR" || fail "the postgres user cannot reach $PG_DIR (a parent" \
    "folder shuts it out); set ALIGNMENT_POSTGRES_DIR to a folder it can reach"
  if [[ ! -s "$PG_DIR/data/PG_VERSION" ]]; then
    local password_file="$PG_DIR/initdb-password"
    (umask 077; printf '%s\n' "$PG_PASSWORD" > "$password_file")
    (( EUID == 0 )) && chown postgres: "$password_file"
    if ! "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U "$PG_USER" \
        --pwfile="$password_file" --auth=scram-sha-256 -E UTF8 --locale=C \
        > "$PG_DIR/initdb.log" 2>&1; then
      rm -f "$password_file"
      fail "initdb failed (see $PG_DIR/initdb.log): $(tail -n 3 "$PG_DIR/initdb.log")"
    fi
    rm -f "$password_file"
    echo "hosted/run.sh: made a PostgreSQL data folder in $PG_DIR/data for user $PG_USER" >&2
  fi
  # Each app process keeps up to 20 connections (docs/hosting.md).
  local options="-p $PG_PORT -c listen_addresses=$PG_LISTEN -c unix_socket_directories=''"
  options+=" -c max_connections=$(( PROCESSES * 20 + 10 ))"
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "$options" start > /dev/null \
    || fail "PostgreSQL did not start (see $PG_DIR/server.log): $(tail -n 3 "$PG_DIR/server.log")"
  PG_STARTED=1
  local found
  found="$(_pg_sql "SELECT count(*) FROM pg_database WHERE datname = '$PG_DATABASE'")" \
    || fail "cannot sign in to the PostgreSQL in $PG_DIR as $PG_USER with the URL's password" \
      "(was it made for another user or password?): $found"
  if [[ "$found" == 0 ]]; then
    _pg_sql "CREATE DATABASE \"$PG_DATABASE\"" > /dev/null \
      || fail "could not create the database $PG_DATABASE in $PG_DIR"
    echo "hosted/run.sh: created the database $PG_DATABASE" >&2
  fi
  echo "hosted/run.sh: PostgreSQL from $PG_BIN running on $PG_HOST:$PG_PORT," \
    "data in $PG_DIR/data" >&2
}

pg_stop() {
  (( PG_STARTED )) || return 0
  PG_STARTED=0
  "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w -t 60 stop > /dev/null 2>&1 || true
}

_pg_sql() {  # one statement, over TCP with the URL's password (never in a command line)
  PGPASSWORD="$PG_PASSWORD" PGCONNECT_TIMEOUT=10 "$PG_BIN/psql" -X -q -t -A \
    -h "$PG_ADDRESS" -p "$PG_PORT" -U "$PG_USER" -d postgres -v ON_ERROR_STOP=1 -c "$1" 2>&1
}

_pg_answers() {
  timeout 3 bash -c "exec 3<>'/dev/tcp/$PG_ADDRESS/$PG_PORT'" 2>/dev/null
}

_pg_decode() {  # %-escapes in a URL part (a password with @ or : in it), nothing else
  local text="$1" plain=""
  while [[ "$text" =~ ^([^%]*)%([0-9A-Fa-f]{2})(.*)$ ]]; do
    plain+="${BASH_REMATCH[1]}$(printf "\\x${BASH_REMATCH[2]}")"
    text="${BASH_REMATCH[3]}"
  done
  printf '%s' "$plain$text"
}
