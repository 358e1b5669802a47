#!/usr/bin/env bash
# Make sure Postgres and Redis answer before tests / local start.
#
# - Targets come from DATABASE_URL / REDIS_URL (host + port); defaults 127.0.0.1:5432 and 127.0.0.1:6379.
# - If a target is not local, it is only checked and reported, never started.
# - If a local service does not answer and is installed, it is started; if it is not installed and we are root
#   with apt-get, it is installed (Debian packages `postgresql`, `redis-server`) and started; otherwise the
#   commands to run are printed and the script exits 1.
# - On a freshly installed Debian cluster, host connections use scram auth: the script switches 127.0.0.1/32
#   and ::1/128 to `trust` in that cluster's pg_hba.conf. That is meant for a dev/CI machine only.
# - Quiet on success: one line per service. Fast and idempotent when both already answer.
set -euo pipefail

WAIT_SECONDS="${ENSURE_SERVICES_WAIT:-30}"

log() { printf '%s\n' "$*"; }
err() { printf 'ensure-services: %s\n' "$*" >&2; }
have() { command -v "$1" >/dev/null 2>&1; }

# --- parse host/port out of a URL: scheme://[user[:pass]@]host[:port][/...] -----------------------------
# Prints "host port". IPv6 literals in brackets are supported.
url_host_port() {
  local url="$1" default_port="$2" rest hostport host port
  rest="${url#*://}"        # strip scheme
  rest="${rest%%[/?#]*}"    # strip path/query
  hostport="${rest##*@}"    # strip userinfo
  if [[ "$hostport" == \[* ]]; then
    host="${hostport%%]*}"; host="${host#[}"
    port="${hostport#*]}"; port="${port#:}"
  elif [[ "$hostport" == *:* ]]; then
    host="${hostport%%:*}"; port="${hostport##*:}"
  else
    host="$hostport"; port=""
  fi
  [[ -n "$host" ]] || host=127.0.0.1
  [[ -n "$port" ]] || port="$default_port"
  printf '%s %s\n' "$host" "$port"
}

is_local() {
  case "$1" in
    127.0.0.1 | localhost | ::1 | 0.0.0.0 | localhost.localdomain) return 0 ;;
    *) return 1 ;;
  esac
}

tcp_probe() { # host port (bash splits /dev/tcp/host/port on the last slash, so ::1 needs no brackets)
  timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" >/dev/null 2>&1
}

pg_up() {
  if have pg_isready; then
    pg_isready -q -h "$PG_HOST" -p "$PG_PORT" -t 2 >/dev/null 2>&1
  else
    tcp_probe "$PG_HOST" "$PG_PORT"
  fi
}

redis_up() {
  if have redis-cli; then
    local reply
    reply="$(timeout 3 redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>&1 || true)"
    # a password-protected Redis answers NOAUTH, which still means it is up
    [[ "$reply" == PONG* || "$reply" == *NOAUTH* ]]
  else
    tcp_probe "$REDIS_HOST" "$REDIS_PORT"
  fi
}

wait_for() { # name fn
  local name="$1" fn="$2" deadline=$((SECONDS + WAIT_SECONDS))
  until "$fn"; do
    if ((SECONDS >= deadline)); then
      err "$name did not answer within ${WAIT_SECONDS}s"
      return 1
    fi
    sleep 0.5
  done
}

can_apt() { [[ "$(id -u)" == 0 ]] && have apt-get; }

APT_UPDATED=0
apt_install() {
  if ((APT_UPDATED == 0)); then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

run_as_root_hint() { [[ "$(id -u)" == 0 ]] && printf '' || printf 'sudo '; }

# --- Postgres ------------------------------------------------------------------------------------------
pg_cluster_version() { ls /etc/postgresql 2>/dev/null | head -1; }

pg_start() {
  local ver
  ver="$(pg_cluster_version)"
  if [[ -z "$ver" ]] || ! have pg_ctlcluster; then
    return 1
  fi
  # the cluster may be "down" but with a stale pid; pg_ctlcluster handles that. Ignore "already running".
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start >/dev/null 2>&1 || true
}

# Dev/CI machine only: make 127.0.0.1 and ::1 trust connections for a fresh Debian cluster (scram by default).
pg_ensure_trust() {
  have psql || return 0
  if psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -Atqc 'select 1' >/dev/null 2>&1; then
    return 0
  fi
  local ver hba
  ver="$(pg_cluster_version)"
  hba="/etc/postgresql/$ver/main/pg_hba.conf"
  if [[ -z "$ver" || ! -w "$hba" ]]; then
    err "cannot connect as postgres to $PG_HOST:$PG_PORT and cannot edit pg_hba.conf; set trust auth for 127.0.0.1/32 and ::1/128"
    return 1
  fi
  err "switching host auth for 127.0.0.1/32 and ::1/128 to trust in $hba (dev/CI machine only)"
  cp -n "$hba" "$hba.orig" 2>/dev/null || true
  sed -i -E \
    -e 's#^(host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+)[a-z0-9-]+#\1trust#' \
    -e 's#^(host[[:space:]]+all[[:space:]]+all[[:space:]]+::1/128[[:space:]]+)[a-z0-9-]+#\1trust#' \
    "$hba"
  # No such lines (a non-Debian layout)? Put trust lines first: the first matching pg_hba line wins.
  if ! grep -qE '^host[[:space:]]+all[[:space:]]+all[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main reload >/dev/null 2>&1 || true
  sleep 0.5
  if ! psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -w -Atqc 'select 1' >/dev/null 2>&1; then
    err "still cannot connect as postgres to $PG_HOST:$PG_PORT after editing $hba"
    return 1
  fi
}

ensure_postgres() {
  if pg_up; then
    log "postgres ok"
    return 0
  fi
  if ! is_local "$PG_HOST"; then
    err "postgres at $PG_HOST:$PG_PORT does not answer (remote host from DATABASE_URL: not starting anything)"
    return 1
  fi
  if [[ -z "$(pg_cluster_version)" ]] || ! have pg_ctlcluster; then
    if can_apt; then
      err "postgres not installed: installing Debian package postgresql"
      apt_install postgresql
    else
      err "postgres does not answer on $PG_HOST:$PG_PORT and is not installed. Run:"
      err "  $(run_as_root_hint)apt-get update && $(run_as_root_hint)apt-get install -y postgresql"
      err "  $(run_as_root_hint)pg_ctlcluster --skip-systemctl-redirect \$(ls /etc/postgresql | head -1) main start"
      err "or with Docker: docker compose -f infra/compose.yaml up -d postgres redis"
      return 1
    fi
  fi
  if [[ "$PG_PORT" != 5432 ]]; then
    err "note: starting the Debian cluster, which listens on its configured port (5432 by default), not $PG_PORT"
  fi
  if ! pg_start; then
    err "could not start postgres; try: pg_ctlcluster --skip-systemctl-redirect $(pg_cluster_version) main start"
    return 1
  fi
  wait_for postgres pg_up || return 1
  # We only get here after starting a local cluster ourselves: make sure user postgres can connect.
  pg_ensure_trust || return 1
  log "postgres ok (started)"
}

# --- Redis ---------------------------------------------------------------------------------------------
redis_start() {
  # Local/test settings: nothing kept on disk. noeviction as in production (see infra/redis.conf), so a
  # full memory fails loudly instead of silently dropping BullMQ keys.
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port "$REDIS_PORT" \
    --save "" --appendonly no --maxmemory-policy noeviction >/dev/null
}

ensure_redis() {
  if redis_up; then
    log "redis ok"
    return 0
  fi
  if ! is_local "$REDIS_HOST"; then
    err "redis at $REDIS_HOST:$REDIS_PORT does not answer (remote host from REDIS_URL: not starting anything)"
    return 1
  fi
  if ! have redis-server; then
    if can_apt; then
      err "redis not installed: installing Debian package redis-server"
      apt_install redis-server
    else
      err "redis does not answer on $REDIS_HOST:$REDIS_PORT and is not installed. Run:"
      err "  $(run_as_root_hint)apt-get update && $(run_as_root_hint)apt-get install -y redis-server"
      err "  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port $REDIS_PORT --save \"\" --appendonly no --maxmemory-policy noeviction"
      err "or with Docker: docker compose -f infra/compose.yaml up -d postgres redis"
      return 1
    fi
    # The Debian package may have started its own instance (on 6379) through the service manager.
    if redis_up; then
      log "redis ok (installed)"
      return 0
    fi
  fi
  if ! redis_start; then
    err "could not start redis-server"
    return 1
  fi
  wait_for redis redis_up || return 1
  log "redis ok (started)"
}

# --- main ----------------------------------------------------------------------------------------------
read -r PG_HOST PG_PORT < <(url_host_port "${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/postgres}" 5432)
read -r REDIS_HOST REDIS_PORT < <(url_host_port "${REDIS_URL:-redis://127.0.0.1:6379}" 6379)
[[ "$PG_HOST" == localhost ]] && PG_HOST=127.0.0.1
[[ "$REDIS_HOST" == localhost ]] && REDIS_HOST=127.0.0.1

status=0
ensure_postgres || status=1
ensure_redis || status=1
exit "$status"
