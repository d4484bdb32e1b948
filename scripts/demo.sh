#!/usr/bin/env bash
# `make demo`: the CMS on http://127.0.0.1:8000 and the public site on
# http://127.0.0.1:3000, started together; Ctrl-C stops both.
#
# The demo content is loaded by `make demo-data` before this runs. The site
# needs Node 20 or newer; without it the CMS is served alone.
set -euo pipefail
cd "$(dirname "$0")/.."

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
SITE_PORT="${SITE_PORT:-3000}"
PYTHON="${PYTHON_BIN:-.venv/bin/python}"

node_ok=false
if command -v node >/dev/null 2>&1 && node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  node_ok=true
else
  echo "Node 20 or newer is missing: the public site is not started (install Debian's nodejs >= 20, then make demo again)." >&2
fi

if $node_ok; then
  echo "Building the public site (npm ci, astro build)..."
  (cd frontend && npm ci --no-audit --no-fund --silent && npm run --silent build >/dev/null)
fi

# The admin's "Preview on the public site" opens the site's /preview/ route.
$node_ok && export PUBLIC_SITE_URL="${PUBLIC_SITE_URL:-http://$HOST:$SITE_PORT}"
# Partners log in through the site's server, which sends each visitor's address in X-Forwarded-For:
# the CMS counts it as one proxy, so one visitor's failed log-ins lock out that visitor only.
$node_ok && export TRUSTED_PROXY_COUNT="${TRUSTED_PROXY_COUNT:-1}"
# The site keeps the CMS's public answers in memory; the CMS's signed webhook tells it when they change
# (docs/webhooks.md). Both processes get the same secret, made up for this run; the site on loopback
# over plain HTTP is allowed as a receiver by the development settings only (DEMO_SITE_WEBHOOK).
if $node_ok; then
  export CMS_WEBHOOK_SECRET="${CMS_WEBHOOK_SECRET:-$("$PYTHON" -c 'import secrets; print(secrets.token_urlsafe(32))')}"
  export DEMO_SITE_WEBHOOK=true
  "$PYTHON" manage.py register_webhook_endpoint --name "Site public (démo)" --url "http://$HOST:$SITE_PORT/webhooks/cms" ||
    echo "The site's webhook could not be registered: changes show on the site within a minute instead of at once." >&2
fi

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

"$PYTHON" manage.py runserver --noreload "$HOST:$PORT" &
pids+=($!)
if $node_ok; then
  cms_url="http://$HOST:$PORT"
  HOST="$HOST" PORT="$SITE_PORT" CMS_URL="$cms_url" node frontend/dist/server/entry.mjs &
  pids+=($!)
fi

sleep 2
echo ""
$node_ok && echo "  Public site:     http://$HOST:$SITE_PORT/  (English: http://$HOST:$SITE_PORT/en/)"
echo "  Admin (French):  http://$HOST:$PORT/admin/"
echo "  API docs:        http://$HOST:$PORT/api/v3/docs/"
echo "  OpenAPI:         http://$HOST:$PORT/api/v3/openapi.json"
$node_ok && echo "  Partner space:   http://$HOST:$SITE_PORT/espace-partenaires/  (partenaire@mjc-exemple.fr / passeurs-demo)"
echo ""
echo "  Ctrl-C stops both."
wait -n "${pids[@]}"
