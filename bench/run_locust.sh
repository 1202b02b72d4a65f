#!/usr/bin/env bash
# Load test on the production shape: PostgreSQL, Redis, uvicorn with several workers, then locust
# headless. The database is dropped and created fresh, migrated and seeded with the demo account,
# whose team gets a one-day ENTERPRISE comp so plan quotas (100 API calls on FREE) do not end the run.
#
#   bench/run_locust.sh            # 20 users, 60 s, 2 uvicorn workers
#   USERS=50 DURATION=120s WEB_WORKERS=4 bench/run_locust.sh
#
# Writes var/locust/stats_stats.csv (and the _history/_failures CSVs) and prints locust's summary.
set -euo pipefail
cd "$(dirname "$0")/.."

DB=${LOCUST_DB:-cg_locust}
export DATABASE_URL=${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$DB}
export REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379/12}
export DJANGO_SETTINGS_MODULE=config.settings.local
export DJANGO_DEBUG=false
export AI_PROVIDER_PRIORITY=offline
# Capacity is measured here, not the limiter: every client is 127.0.0.1.
export API_RATE_LIMIT_AUTH=100000/minute API_RATE_LIMIT_ENTERPRISE=10000000/hour AXES_ENABLED=false
export LOG_LEVEL=WARNING
PORT=${PORT:-8765}
USERS=${USERS:-20}
SPAWN=${SPAWN:-5}
DURATION=${DURATION:-60s}
WEB_WORKERS=${WEB_WORKERS:-2}
PY=.venv/bin/python
OUT=var/locust
mkdir -p "$OUT"

psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB"
redis-cli -u "$REDIS_URL" flushdb >/dev/null
$PY manage.py migrate --noinput -v 0
$PY manage.py seed_demo >/dev/null
$PY manage.py shell -c "
from datetime import timedelta
from django.utils import timezone
from accounts.models import User
from billing.services import subscription_comp
demo = User.objects.get(email='demo@contentgenai.local')
subscription_comp(team=demo.current_team, tier='ENTERPRISE', until=timezone.now() + timedelta(days=1))
"

$PY -m uvicorn config.asgi:application --host 127.0.0.1 --port "$PORT" --workers "$WEB_WORKERS" --lifespan off --no-access-log &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -fsS -H "Host: localhost" "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.5
done

.venv/bin/locust -f bench/locustfile.py --host "http://localhost:$PORT" --headless \
  -u "$USERS" -r "$SPAWN" -t "$DURATION" --csv "$OUT/stats" --only-summary
