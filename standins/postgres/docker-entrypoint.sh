#!/usr/bin/env bash
# Entrypoint of the postgres stand-in, following the official image's behaviour:
# on the first start it initialises $PGDATA (initdb, pg_hba rule, socket-only temporary server, POSTGRES_DB,
# /docker-entrypoint-initdb.d), then it execs the server with the container's arguments.
set -Eeuo pipefail

log() { printf '%s\n' "$*"; }
die() { printf '%s\n' "$*" >&2; exit 1; }

# VAR or VAR_FILE (secrets convention), never both; $2 is the default.
load_env() {
  local var=$1 default=${2:-} file_var="${1}_FILE"
  if [[ -n ${!var:-} && -n ${!file_var:-} ]]; then
    die "error: both $var and $file_var are set (but are exclusive)"
  fi
  local value=$default
  if [[ -n ${!var:-} ]]; then
    value=${!var}
  elif [[ -n ${!file_var:-} ]]; then
    value=$(<"${!file_var}")
  fi
  export "$var=$value"
  unset "$file_var"
}

load_settings() {
  load_env POSTGRES_PASSWORD
  load_env POSTGRES_USER postgres
  load_env POSTGRES_DB "$POSTGRES_USER"
  load_env POSTGRES_INITDB_ARGS
  : "${POSTGRES_HOST_AUTH_METHOD:=}"
  : "${POSTGRES_INITDB_WALDIR:=}"
  DATABASE_ALREADY_EXISTS=
  if [[ -s $PGDATA/PG_VERSION ]]; then DATABASE_ALREADY_EXISTS=true; fi
}

# Arguments that only print something (help, version) must not trigger an initialisation.
wants_help() {
  local arg
  for arg; do
    case $arg in -'?' | --help | --describe-config | -V | --version) return 0 ;; esac
  done
  return 1
}

prepare_dirs() {
  mkdir -p "$PGDATA"
  chmod 00700 "$PGDATA" || :
  mkdir -p /var/run/postgresql || :
  chmod 03775 /var/run/postgresql || :
  if [[ -n $POSTGRES_INITDB_WALDIR ]]; then
    mkdir -p "$POSTGRES_INITDB_WALDIR"
    chmod 700 "$POSTGRES_INITDB_WALDIR" || :
  fi
  if [[ $(id -u) == 0 ]]; then
    find "$PGDATA" \! -user postgres -exec chown postgres '{}' +
    find /var/run/postgresql \! -user postgres -exec chown postgres '{}' +
    if [[ -n $POSTGRES_INITDB_WALDIR ]]; then
      find "$POSTGRES_INITDB_WALDIR" \! -user postgres -exec chown postgres '{}' +
    fi
  fi
}

require_password() {
  if [[ -z $POSTGRES_PASSWORD && $POSTGRES_HOST_AUTH_METHOD != trust ]]; then
    die "Error: Database is uninitialized and superuser password is not specified.
       Set POSTGRES_PASSWORD to a non-empty value for the superuser,
       e.g. \"-e POSTGRES_PASSWORD=password\", or set POSTGRES_HOST_AUTH_METHOD=trust
       to allow every connection without a password (not recommended)."
  fi
  if [[ $POSTGRES_HOST_AUTH_METHOD == trust ]]; then
    log "WARNING: POSTGRES_HOST_AUTH_METHOD=trust: every connection is accepted without a password."
  fi
}

run_initdb() {
  local -a extra=() walopt=() pwopt=()
  # Word-split like a shell so quoted values in POSTGRES_INITDB_ARGS survive.
  eval "extra=($POSTGRES_INITDB_ARGS)"
  if [[ -n $POSTGRES_INITDB_WALDIR ]]; then walopt=(--waldir "$POSTGRES_INITDB_WALDIR"); fi

  local pwfile=
  if [[ -n $POSTGRES_PASSWORD ]]; then
    pwfile=$(mktemp)
    printf '%s\n' "$POSTGRES_PASSWORD" >"$pwfile"
    pwopt=(--pwfile="$pwfile")
  fi

  # initdb refuses to run as a uid without a passwd entry (e.g. docker run --user 4242).
  local -a preload=()
  local nss_passwd= nss_group=
  if ! getent passwd "$(id -u)" >/dev/null 2>&1; then
    local wrapper
    for wrapper in /usr/lib/*/libnss_wrapper.so /usr/lib/libnss_wrapper.so; do
      [[ -f $wrapper ]] && break
    done
    nss_passwd=$(mktemp)
    nss_group=$(mktemp)
    printf 'postgres:x:%s:%s:PostgreSQL:%s:/bin/false\n' "$(id -u)" "$(id -g)" "$PGDATA" >"$nss_passwd"
    printf 'postgres:x:%s:\n' "$(id -g)" >"$nss_group"
    preload=(env LD_PRELOAD="$wrapper" NSS_WRAPPER_PASSWD="$nss_passwd" NSS_WRAPPER_GROUP="$nss_group")
  fi

  local rc=0
  "${preload[@]}" initdb --username="$POSTGRES_USER" "${pwopt[@]}" "${walopt[@]}" "${extra[@]}" || rc=$?
  rm -f "$pwfile" "$nss_passwd" "$nss_group"
  return "$rc"
}

# $@: server arguments without the leading "postgres".
configure_hba() {
  local auth=$POSTGRES_HOST_AUTH_METHOD
  if [[ -z $auth ]]; then
    auth=$(postgres -C password_encryption "$@")
  fi
  {
    printf '\n'
    if [[ $auth == trust ]]; then
      printf '# POSTGRES_HOST_AUTH_METHOD=trust: no password is needed from any host\n'
    fi
    printf 'host all all all %s\n' "$auth"
  } >>"$PGDATA/pg_hba.conf"
}

# The temporary server listens on the socket only, so clients cannot connect before initialisation ends.
temp_server_start() {
  set -- "$@" -c listen_addresses='' -p "${PGPORT:-5432}"
  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -o "$(printf '%q ' "$@")" -w start
}

temp_server_stop() {
  PGUSER=$POSTGRES_USER pg_ctl -D "$PGDATA" -m fast -w stop
}

create_database() {
  [[ $POSTGRES_DB == postgres ]] && return 0
  local exists
  exists=$("${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" --tuples-only <<<"SELECT 1 FROM pg_database WHERE datname = :'db';")
  if [[ -z ${exists//[[:space:]]/} ]]; then
    "${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<<'CREATE DATABASE :"db";'
    log
  fi
}

run_init_files() {
  local f
  log
  shopt -s nullglob
  for f in /docker-entrypoint-initdb.d/*; do
    case $f in
      *.sh)
        if [[ -x $f ]]; then
          log "$0: running $f"
          "$f"
        else
          log "$0: sourcing $f"
          set +u
          # shellcheck disable=SC1090
          . "$f"
          set -u
        fi
        ;;
      *.sql) log "$0: running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f"; log ;;
      *.sql.gz) log "$0: running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB"; log ;;
      *.sql.xz) log "$0: running $f"; xzcat "$f" | "${psql[@]}" --dbname "$POSTGRES_DB"; log ;;
      *.sql.zst) log "$0: running $f"; zstd -dc "$f" | "${psql[@]}" --dbname "$POSTGRES_DB"; log ;;
      *) log "$0: ignoring $f" ;;
    esac
  done
  shopt -u nullglob
}

# $@: the full command ("postgres" plus server arguments).
initialize() {
  shift
  require_password
  run_initdb
  configure_hba "$@"

  # Local connections use the socket (trust, initdb's default) whatever PGHOST says.
  export PGPASSWORD=${PGPASSWORD:-$POSTGRES_PASSWORD}
  unset PGHOST PGHOSTADDR
  psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)

  temp_server_start "$@"
  create_database
  run_init_files
  temp_server_stop
  unset PGPASSWORD

  log
  log 'PostgreSQL init process complete; ready for start up.'
  log
}

# $1: the script to re-execute as postgres when running as root; the rest: the command.
ensure_initialized() {
  local self=$1
  shift
  load_settings
  prepare_dirs
  if [[ $(id -u) == 0 ]]; then
    exec gosu postgres "$self" "$@"
  fi
  if [[ -z $DATABASE_ALREADY_EXISTS ]]; then
    initialize "$@"
  else
    log
    log 'PostgreSQL Database directory appears to contain a database; Skipping initialization'
    log
  fi
}

main() {
  if [[ ${1:-} == -* ]]; then
    set -- postgres "$@"
  fi
  if [[ ${1:-} == postgres ]] && ! wants_help "$@"; then
    ensure_initialized "${BASH_SOURCE[0]}" "$@"
  fi
  exec "$@"
}

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  main "$@"
fi
