#!/usr/bin/env bash
# Starts the product (API + workers, dashboard built when stale) on a fresh database for the browser journeys.
set -euo pipefail
cd "$(dirname "$0")/../.."
db="tower_e2e_${PORT}"
psql -h 127.0.0.1 -U postgres -d postgres -qAtc "DROP DATABASE IF EXISTS ${db} WITH (FORCE)" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${db}"
export QUEUE_PREFIX="tower-e2e-${PORT}"
export TOWER_ADMIN_EMAIL=admin@e2e.example TOWER_ADMIN_PASSWORD=e2e-admin-password-1
export LOG_LEVEL="${E2E_LOG_LEVEL:-warn}"
redis-cli -h 127.0.0.1 --scan --pattern "${QUEUE_PREFIX}:*" | xargs -r redis-cli -h 127.0.0.1 del >/dev/null || true
exec pnpm start
