#!/usr/bin/env bash
# live-stack.sh — install and run a real Medusa v2 + Payload 3 stack on loopback,
# for live integration tests of the medusa_payload SDK.
#
#   bash live-stack.sh all       # install (idempotent) + start everything, write $STACK_DIR/live.env
#   bash live-stack.sh install   # apt packages, PostgreSQL cluster, npm projects, migrations, seeds, build
#   bash live-stack.sh start     # start postgres (+redis), webhook receiver, medusa, payload
#   bash live-stack.sh stop      # stop everything this script started (by PID files)
#   bash live-stack.sh status
#
# Env knobs (defaults in brackets):
#   STACK_DIR [/tmp/live-stack/stack]   where npm projects, pg data, logs, pid files live
#   PG_PORT [55432]  MEDUSA_PORT [9000]  PAYLOAD_PORT [3000]  WEBHOOK_PORT [9999]  REDIS_PORT [56379]
#   USE_REDIS [0]        1 = apt-get redis-server and use event-bus-redis + cache-redis in Medusa
#   PAYLOAD_MODE [prod]  prod = payload migrate + next build + next start; dev = next dev (schema push)
#   WEBHOOK_RECEIVER [1] 1 = start webhook_receiver.py and point MEDUSA_WEBHOOK_URL at it
#   npm_config_cache [$HOME/.cache/medusa-payload/npm]   npm's download cache (kept between runs)
#   NODE_MODULES_CACHE [$HOME/.cache/medusa-payload/node_modules]  installed trees keyed by the
#       lockfile's hash, hard-linked into a fresh STACK_DIR (0 = off)
#   MEDUSA_WEBHOOK_URL / PAYLOAD_WEBHOOK_URL   where the senders POST (default: the echo receiver,
#       which relays to the URL base in $STACK_DIR/relay-target when that file exists)
# Only loopback addresses are used. Nothing is downloaded except npm / Debian packages.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
STACK_DIR="${STACK_DIR:-/tmp/live-stack/stack}"
PG_PORT="${PG_PORT:-55432}"
MEDUSA_PORT="${MEDUSA_PORT:-9000}"
PAYLOAD_PORT="${PAYLOAD_PORT:-3000}"
WEBHOOK_PORT="${WEBHOOK_PORT:-9999}"
REDIS_PORT="${REDIS_PORT:-56379}"
USE_REDIS="${USE_REDIS:-0}"
PAYLOAD_MODE="${PAYLOAD_MODE:-prod}"
WEBHOOK_RECEIVER="${WEBHOOK_RECEIVER:-1}"
export npm_config_cache="${npm_config_cache:-$HOME/.cache/medusa-payload/npm}"
NODE_MODULES_CACHE="${NODE_MODULES_CACHE:-$HOME/.cache/medusa-payload/node_modules}"
REPO_ROOT="$(cd "$HERE/../../.." && pwd)"
INTEGRATIONS="$REPO_ROOT/integrations"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export MEDUSA_DISABLE_TELEMETRY=true NEXT_TELEMETRY_DISABLED=1 DO_NOT_TRACK=1

MEDUSA_DIR="$STACK_DIR/medusa"
PAYLOAD_DIR="$STACK_DIR/payload"
PG_DATA="$STACK_DIR/pg/data"
LOG_DIR="$STACK_DIR/logs"
RUN_DIR="$STACK_DIR/run"
TIMINGS="$STACK_DIR/timings.log"

# Fixed test credentials (loopback-only throwaway stack).
MEDUSA_ADMIN_EMAIL="${MEDUSA_ADMIN_EMAIL:-admin@example.com}"
MEDUSA_ADMIN_PASSWORD="${MEDUSA_ADMIN_PASSWORD:-supersecret}"
# Signs Medusa's JWTs; in live.env so a test can mint an expired customer token.
MEDUSA_JWT_SECRET="${MEDUSA_JWT_SECRET:-live-stack-jwt}"
# Standard Webhooks secrets (whsec_ + base64), one per sender.
MEDUSA_WEBHOOK_SECRET="${MEDUSA_WEBHOOK_SECRET:-whsec_bGl2ZS1zdGFjay1tZWR1c2Etd2ViaG9vay1zZWNyZXQ=}"
PAYLOAD_WEBHOOK_SECRET="${PAYLOAD_WEBHOOK_SECRET:-whsec_bGl2ZS1zdGFjay1wYXlsb2FkLXdlYmhvb2stc2VjcmV0}"
PAYLOAD_SYNC_USER_EMAIL="${PAYLOAD_SYNC_USER_EMAIL:-sync@example.com}"
PAYLOAD_SYNC_API_KEY="${PAYLOAD_SYNC_API_KEY:-live-stack-sync-api-key-0002}"
RELAY_FILE="$STACK_DIR/relay-target"
PAYLOAD_SECRET="${PAYLOAD_SECRET:-live-stack-payload-secret}"
PAYLOAD_API_KEY="${PAYLOAD_API_KEY:-live-stack-payload-api-key-0001}"
PAYLOAD_ADMIN_EMAIL="${PAYLOAD_ADMIN_EMAIL:-admin@example.com}"
PAYLOAD_ADMIN_PASSWORD="${PAYLOAD_ADMIN_PASSWORD:-supersecret}"

mkdir -p "$STACK_DIR" "$LOG_DIR" "$RUN_DIR"

log() { printf '[live-stack %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
timed() { # timed LABEL cmd...   -> runs cmd, appends "LABEL SECONDS" to $TIMINGS
  local label="$1"; shift
  local t0; t0=$(date +%s.%N)
  "$@"
  local dt; dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN{printf "%.1f", b-a}')
  echo "$label ${dt}s" | tee -a "$TIMINGS" >&2
}
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pgbin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
wait_http() { # wait_http URL SECONDS [curl args...]
  local url="$1" secs="$2"; shift 2
  local end=$((SECONDS + secs))
  while [ $SECONDS -lt $end ]; do
    if curl -g -sf -o /dev/null -m 120 "$@" "$url"; then return 0; fi
    sleep 0.5
  done
  log "timeout waiting for $url"; return 1
}
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
json_get() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval("d"+sys.argv[2]))' "$1" "$2"; }

# ---------------------------------------------------------------- apt
install_apt() {
  local pkgs=()
  [ -n "$(pgbin)" ] || pkgs+=(postgresql)
  [ "$USE_REDIS" = 1 ] && ! command -v redis-server >/dev/null && pkgs+=(redis-server)
  command -v curl >/dev/null || pkgs+=(curl)
  if [ ${#pkgs[@]} -gt 0 ]; then
    log "apt-get install ${pkgs[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${pkgs[@]}" >"$LOG_DIR/apt.log" 2>&1
  fi
}

# ---------------------------------------------------------------- postgres
pg_init() {
  [ -f "$PG_DATA/PG_VERSION" ] && return 0
  mkdir -p "$STACK_DIR/pg"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres:postgres "$STACK_DIR/pg"
    # As root the cluster runs as `postgres`, which must be able to walk down to the data dir:
    # a `mktemp -d` parent is 0700, so say so instead of failing inside initdb.
    if ! runuser -u postgres -- test -x "$STACK_DIR/pg"; then
      log "the postgres user cannot reach $STACK_DIR/pg: make its parent directories world-executable (chmod o+x)"
      return 1
    fi
  fi
  if ! as_pg "$(pgbin)/initdb" -D "$PG_DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$LOG_DIR/initdb.log" 2>&1; then
    log "initdb failed; its log:"; tail -20 "$LOG_DIR/initdb.log" >&2; return 1
  fi
}
pg_start() {
  if as_pg "$(pgbin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1; then return 0; fi
  if ! as_pg "$(pgbin)/pg_ctl" -D "$PG_DATA" -l "$STACK_DIR/pg/pg.log" -w \
    -o "-h 127.0.0.1 -p $PG_PORT -k $STACK_DIR/pg -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
    log "postgres did not start on :$PG_PORT (port taken?); its log:"; tail -20 "$STACK_DIR/pg/pg.log" >&2; return 1
  fi
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "select 1 from pg_database where datname='medusa'" | grep -q 1 ||
    psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc 'create database medusa'
}
pg_stop() {
  [ -f "$PG_DATA/postmaster.pid" ] && as_pg "$(pgbin)/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null || true
}

# ---------------------------------------------------------------- redis
redis_start() {
  [ "$USE_REDIS" = 1 ] || return 0
  alive "$RUN_DIR/redis.pid" && return 0
  mkdir -p "$STACK_DIR/redis"
  redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --pidfile "$RUN_DIR/redis.pid" \
    --dir "$STACK_DIR/redis" --save '' --appendonly no --logfile "$LOG_DIR/redis.log"
  for _ in $(seq 50); do [ -s "$RUN_DIR/redis.pid" ] && break; sleep 0.1; done
}

# ---------------------------------------------------------------- npm install helper
npm_install() { # dir
  # `npm install` (not `npm ci`): the shipped lockfiles pin versions, but npm 11 wrote them without
  # the other platforms' optional packages (@swc/core-darwin-*, ...), which makes `npm ci` refuse them.
  local dir="$1" key="" cached=""
  if [ "$NODE_MODULES_CACHE" != 0 ]; then
    key="$(basename "$dir")-$(sha256sum "$dir/package-lock.json" | cut -c1-16)"
    cached="$NODE_MODULES_CACHE/$key"
    if [ -d "$cached/node_modules" ]; then
      cp -al "$cached/node_modules" "$dir/node_modules" && return 0
    fi
  fi
  (cd "$dir" && npm install --loglevel=error)
  if [ -n "$cached" ]; then
    rm -rf "$cached.tmp" && mkdir -p "$cached.tmp"
    cp -al "$dir/node_modules" "$cached.tmp/node_modules" && rm -rf "$cached" && mv "$cached.tmp" "$cached"
  fi
}

# ---------------------------------------------------------------- the project's senders
install_senders() {
  mkdir -p "$MEDUSA_DIR/src/subscribers" "$MEDUSA_DIR/src/lib" "$PAYLOAD_DIR/src/plugins" "$PAYLOAD_DIR/src/lib"
  cp "$INTEGRATIONS/standard-webhooks.ts" "$MEDUSA_DIR/src/lib/standard-webhooks.ts"
  cp "$INTEGRATIONS/medusa/src/subscribers/medusa-payload-webhooks.ts" "$MEDUSA_DIR/src/subscribers/"
  cp "$INTEGRATIONS/standard-webhooks.ts" "$PAYLOAD_DIR/src/lib/standard-webhooks.ts"
  cp "$INTEGRATIONS/payload/src/plugins/medusa-payload-webhooks.ts" "$PAYLOAD_DIR/src/plugins/"
}

# ---------------------------------------------------------------- medusa
medusa_env() {
  cat >"$MEDUSA_DIR/.env" <<EOF
DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/medusa
JWT_SECRET=$MEDUSA_JWT_SECRET
COOKIE_SECRET=live-stack-cookie
STORE_CORS=http://localhost:8000
ADMIN_CORS=http://localhost:9000
AUTH_CORS=http://localhost:9000
MEDUSA_DISABLE_TELEMETRY=true
EOF
  [ "$USE_REDIS" = 1 ] && echo "REDIS_URL=redis://127.0.0.1:$REDIS_PORT" >>"$MEDUSA_DIR/.env"
  return 0
}
medusa_install() {
  mkdir -p "$MEDUSA_DIR"
  mkdir -p "$PAYLOAD_DIR"
  cp -r "$HERE/medusa/." "$MEDUSA_DIR/"
  install_senders
  medusa_env
  [ -d "$MEDUSA_DIR/node_modules/@medusajs/medusa" ] || timed medusa_npm_ci npm_install "$MEDUSA_DIR" >"$LOG_DIR/medusa-npm.log" 2>&1
  if [ ! -f "$MEDUSA_DIR/.seeded" ]; then
    cd "$MEDUSA_DIR"
    timed medusa_db_migrate ./node_modules/.bin/medusa db:migrate >"$LOG_DIR/medusa-migrate.log" 2>&1
    timed medusa_seed env SEED_OUT="$MEDUSA_DIR/seed-output.json" ./node_modules/.bin/medusa exec ./src/scripts/seed-live.ts >"$LOG_DIR/medusa-seed.log" 2>&1
    timed medusa_create_admin_user ./node_modules/.bin/medusa user -e "$MEDUSA_ADMIN_EMAIL" -p "$MEDUSA_ADMIN_PASSWORD" >"$LOG_DIR/medusa-user.log" 2>&1
    touch .seeded
    cd - >/dev/null
  fi
}
medusa_start() {
  alive "$RUN_DIR/medusa.pid" && return 0
  local hook=""
  if [ -n "${MEDUSA_WEBHOOK_URL:-}" ]; then hook="$MEDUSA_WEBHOOK_URL"
  elif [ "$WEBHOOK_RECEIVER" = 1 ]; then hook="http://127.0.0.1:$WEBHOOK_PORT/medusa"; fi
  cd "$MEDUSA_DIR"
  MEDUSA_WEBHOOK_URL="$hook" MEDUSA_WEBHOOK_SECRET="$MEDUSA_WEBHOOK_SECRET" \
    nohup ./node_modules/.bin/medusa start --host 127.0.0.1 --port "$MEDUSA_PORT" >"$LOG_DIR/medusa.log" 2>&1 &
  echo $! >"$RUN_DIR/medusa.pid"
  cd - >/dev/null
  wait_http "http://127.0.0.1:$MEDUSA_PORT/health" 180
}

# ---------------------------------------------------------------- payload
payload_env() {
  cat >"$PAYLOAD_DIR/.env" <<EOF
PAYLOAD_SECRET=$PAYLOAD_SECRET
DATABASE_URI=file:$PAYLOAD_DIR/payload.db
PAYLOAD_API_KEY=$PAYLOAD_API_KEY
PAYLOAD_ADMIN_EMAIL=$PAYLOAD_ADMIN_EMAIL
PAYLOAD_ADMIN_PASSWORD=$PAYLOAD_ADMIN_PASSWORD
PAYLOAD_SYNC_USER_EMAIL=$PAYLOAD_SYNC_USER_EMAIL
PAYLOAD_SYNC_API_KEY=$PAYLOAD_SYNC_API_KEY
NEXT_TELEMETRY_DISABLED=1
EOF
}
payload_install() {
  mkdir -p "$PAYLOAD_DIR"
  cp -r "$HERE/payload/." "$PAYLOAD_DIR/"
  install_senders
  payload_env
  [ -d "$PAYLOAD_DIR/node_modules/payload" ] || timed payload_npm_ci npm_install "$PAYLOAD_DIR" >"$LOG_DIR/payload-npm.log" 2>&1
  [ "$PAYLOAD_MODE" = prod ] || return 0
  cd "$PAYLOAD_DIR"
  # Payload's CLI can exit 0 having done nothing (seen once in CI: no output, no migration; its
  # loader's promise never settled, so node just ran out of work). Check each step's result and
  # try again, rather than start a Payload without tables.
  local attempt
  for attempt in 1 2 3; do
    has_initial_migration && break
    rm -rf src/migrations
    timed payload_migrate_create ./node_modules/.bin/payload migrate:create initial >>"$LOG_DIR/payload-migrate-create.log" 2>&1
    has_initial_migration && break
    log "payload migrate:create made no migration (try $attempt)"
  done
  has_initial_migration || { tail -20 "$LOG_DIR/payload-migrate-create.log" >&2; return 1; }
  for attempt in 1 2 3; do
    timed payload_migrate ./node_modules/.bin/payload migrate >>"$LOG_DIR/payload-migrate.log" 2>&1
    payload_db_has_tables && break
    log "payload migrate left no tables in payload.db (try $attempt)"
  done
  payload_db_has_tables || { tail -20 "$LOG_DIR/payload-migrate.log" >&2; return 1; }
  [ -f .next/BUILD_ID ] || timed payload_next_build ./node_modules/.bin/next build >"$LOG_DIR/payload-build.log" 2>&1
  cd - >/dev/null
}
has_initial_migration() { compgen -G "src/migrations/*_initial.ts" >/dev/null && [ -f src/migrations/index.ts ]; }
payload_db_has_tables() {
  python3 -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
sys.exit(0 if c.execute("select 1 from sqlite_master where type = ? and name = ?", ("table", "users")).fetchone() else 1)' payload.db
}
payload_start() {
  alive "$RUN_DIR/payload.pid" && return 0
  cd "$PAYLOAD_DIR"
  local sub=start hook=""
  [ "$PAYLOAD_MODE" = dev ] && sub=dev
  if [ -n "${PAYLOAD_WEBHOOK_URL:-}" ]; then hook="$PAYLOAD_WEBHOOK_URL"
  elif [ "$WEBHOOK_RECEIVER" = 1 ]; then hook="http://127.0.0.1:$WEBHOOK_PORT/payload"; fi
  PAYLOAD_WEBHOOK_URL="$hook" PAYLOAD_WEBHOOK_SECRET="$PAYLOAD_WEBHOOK_SECRET" \
    nohup ./node_modules/.bin/next "$sub" -H 127.0.0.1 -p "$PAYLOAD_PORT" >"$LOG_DIR/payload.log" 2>&1 &
  echo $! >"$RUN_DIR/payload.pid"
  cd - >/dev/null
  # First request initialises Payload (and in dev mode compiles the route + pushes the schema) and runs the seed.
  wait_http "http://127.0.0.1:$PAYLOAD_PORT/api/users/me" 300 -H "Authorization: users API-Key $PAYLOAD_API_KEY"
  # /api/users/me answers 200 with {"user": null} when the key is unknown: insist on the seeded user.
  if ! curl -s -m 60 -H "Authorization: users API-Key $PAYLOAD_API_KEY" \
    "http://127.0.0.1:$PAYLOAD_PORT/api/users/me" | grep -q "\"$PAYLOAD_ADMIN_EMAIL\""; then
    log "payload is up but the seeded admin's API key is not accepted; its log:"
    tail -30 "$LOG_DIR/payload.log" >&2
    return 1
  fi
}

# ---------------------------------------------------------------- webhook receiver
webhook_start() {
  [ "$WEBHOOK_RECEIVER" = 1 ] || return 0
  alive "$RUN_DIR/webhook.pid" && return 0
  MEDUSA_WEBHOOK_SECRET="$MEDUSA_WEBHOOK_SECRET" PAYLOAD_WEBHOOK_SECRET="$PAYLOAD_WEBHOOK_SECRET" \
    WEBHOOK_LOG="$STACK_DIR/webhooks.jsonl" RELAY_FILE="$RELAY_FILE" \
    nohup "$(python3 -c 'import sys; print(sys.executable)')" "$HERE/webhook_receiver.py" "$WEBHOOK_PORT" >"$LOG_DIR/webhook.log" 2>&1 &
  echo $! >"$RUN_DIR/webhook.pid"
}

# ---------------------------------------------------------------- env file for tests
write_env() {
  local seed="$MEDUSA_DIR/seed-output.json"
  cat >"$STACK_DIR/live.env" <<EOF
MEDUSA_URL=http://127.0.0.1:$MEDUSA_PORT
MEDUSA_PUBLISHABLE_KEY=$(json_get "$seed" "['publishable_key']")
MEDUSA_SECRET_API_KEY=$(json_get "$seed" "['secret_key']")
MEDUSA_ADMIN_EMAIL=$MEDUSA_ADMIN_EMAIL
MEDUSA_ADMIN_PASSWORD=$MEDUSA_ADMIN_PASSWORD
MEDUSA_REGION_ID=$(json_get "$seed" "['region_id']")
MEDUSA_SALES_CHANNEL_ID=$(json_get "$seed" "['sales_channel_id']")
MEDUSA_BETA_SALES_CHANNEL_ID=$(json_get "$seed" "['beta_sales_channel_id']")
MEDUSA_BETA_PUBLISHABLE_KEY=$(json_get "$seed" "['beta_publishable_key']")
MEDUSA_STORE_ID=$(json_get "$seed" "['store_id']")
MEDUSA_ORDER_ID=$(json_get "$seed" "['order_id']")
MEDUSA_INVENTORY_ITEM_ID=$(json_get "$seed" ".get('inventory_item_id', '')")
MEDUSA_PRODUCT_HANDLES=live-tee,live-hoodie,live-plain
MEDUSA_STOCK_LOCATION_ID=$(json_get "$seed" "['stock_location_id']")
MEDUSA_SHIPPING_OPTION_ID=$(json_get "$seed" "['shipping_option_id']")
MEDUSA_OTHER_SALES_CHANNEL_ID=$(json_get "$seed" "['other_sales_channel_id']")
MEDUSA_IN_STOCK_VARIANT_ID=$(json_get "$seed" "['in_stock_variant_id']")
MEDUSA_SOLD_OUT_VARIANT_ID=$(json_get "$seed" "['sold_out_variant_id']")
MEDUSA_OTHER_CHANNEL_VARIANT_ID=$(json_get "$seed" "['other_channel_variant_id']")
MEDUSA_PROMOTION_CODE=$(json_get "$seed" "['promotion_code']")
MEDUSA_JWT_SECRET=$MEDUSA_JWT_SECRET
MEDUSA_PRODUCT_IDS=$(python3 -c 'import json,sys; print(",".join(p["handle"]+":"+p["id"] for p in json.load(open(sys.argv[1]))["products"]))' "$seed")
MEDUSA_WEBHOOK_SECRET=$MEDUSA_WEBHOOK_SECRET
MEDUSA_WEBHOOK_LOG=$STACK_DIR/webhooks.jsonl
PAYLOAD_URL=http://127.0.0.1:$PAYLOAD_PORT
PAYLOAD_API_KEY=$PAYLOAD_API_KEY
PAYLOAD_API_KEY_HEADER="users API-Key $PAYLOAD_API_KEY"
PAYLOAD_ADMIN_EMAIL=$PAYLOAD_ADMIN_EMAIL
PAYLOAD_ADMIN_PASSWORD=$PAYLOAD_ADMIN_PASSWORD
PAYLOAD_SYNC_USER_EMAIL=$PAYLOAD_SYNC_USER_EMAIL
PAYLOAD_SYNC_API_KEY=$PAYLOAD_SYNC_API_KEY
PAYLOAD_WEBHOOK_SECRET=$PAYLOAD_WEBHOOK_SECRET
WEBHOOK_LOG=$STACK_DIR/webhooks.jsonl
WEBHOOK_RELAY_FILE=$RELAY_FILE
EOF
  log "wrote $STACK_DIR/live.env"
}

# ---------------------------------------------------------------- stop / status
stop_pidfile() {
  local f="$RUN_DIR/$1.pid"
  if alive "$f"; then
    local pid; pid=$(cat "$f")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}
do_stop() {
  stop_pidfile payload; stop_pidfile medusa; stop_pidfile webhook; stop_pidfile redis
  pg_stop
  log "stopped"
}
do_status() {
  for n in postgres redis webhook medusa payload; do
    if [ "$n" = postgres ]; then
      as_pg "$(pgbin)/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1 && echo "postgres up (:$PG_PORT)" || echo "postgres down"
    elif alive "$RUN_DIR/$n.pid"; then
      local pid; pid=$(cat "$RUN_DIR/$n.pid")
      # RSS of the process and its direct children (next start/dev forks a next-server child)
      local rss; rss=$(ps -eo pid=,ppid=,rss= | awk -v p="$pid" '$1==p||$2==p{s+=$3}END{printf "%d", s/1024}')
      echo "$n up pid=$pid rss=${rss}MB"
    else echo "$n down"; fi
  done
}

do_install() {
  timed apt_install install_apt
  timed pg_initdb pg_init
  timed pg_start pg_start
  redis_start
  medusa_install
  payload_install
  du -sh "$MEDUSA_DIR" "$PAYLOAD_DIR" "$npm_config_cache" 2>/dev/null | tee -a "$TIMINGS" >&2 || true
}
do_start() {
  pg_start; redis_start; webhook_start
  timed medusa_start medusa_start
  timed payload_start payload_start
  write_env
  do_status
}

case "${1:-all}" in
  install) do_install ;;
  start) do_start ;;
  stop) do_stop ;;
  status) do_status ;;
  env) write_env; cat "$STACK_DIR/live.env" ;;
  all) started=$SECONDS; do_install; do_start; log "all done in $((SECONDS - started)) s" ;;
  *) echo "usage: $0 {all|install|start|stop|status|env}" >&2; exit 2 ;;
esac
