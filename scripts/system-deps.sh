#!/usr/bin/env bash
# What `make test` needs besides Python packages, installed only when missing.
#
#   scripts/system-deps.sh                 Chromium, fonts, Node and npm (browser tests, the public site in
#                                          frontend/), gettext, then the npm test tools of package.json
#                                          (axe-core) into ./node_modules
#   scripts/system-deps.sh --postgresql    the same, plus Python 3.11 and a PostgreSQL server
#                                          on 127.0.0.1:5432 that user postgres reaches without
#                                          password (what .ci/run uses on a new machine)
#
# Nothing is installed when everything is already there; installing Debian packages needs root.
set -euo pipefail
cd "$(dirname "$0")/.."

with_postgresql=false
[ "${1:-}" = "--postgresql" ] && with_postgresql=true

npm_tools() {
  if [ ! -f node_modules/axe-core/axe.min.js ]; then
    echo "Installing npm test tools (package-lock.json)..."
    npm ci --no-audit --no-fund --silent
  fi
}

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)  # makemessages, for the translation test
# tests/cms/test_slow_clients.py runs its own nginx in front of gunicorn; the system's service stays off.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
if $with_postgresql; then
  command -v python3.11 >/dev/null 2>&1 || missing+=(python3.11)
  python3.11 -c "import ensurepip, venv" >/dev/null 2>&1 || missing+=(python3.11-venv)
  command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
  echo "Installing ${missing[*]}..."
  if [[ " ${missing[*]} " == *" nginx "* ]] && [ ! -e /usr/sbin/policy-rc.d ]; then
    # Debian's nginx would start on port 80 once installed (and fail the install if 80 is taken).
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [[ " ${missing[*]} " == *" nginx "* ]] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable nginx >/dev/null 2>&1 || true
  fi
fi

# The public site (frontend/) runs on Node 20 or newer: Debian 13's nodejs is 20; Debian 12's (18) is too old.
if ! node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  echo "Node 20 or newer is required for frontend/ (found $(node --version)): install Debian 13's nodejs or Node 20 from nodejs.org." >&2
  exit 1
fi

npm_tools
$with_postgresql || exit 0

# A PostgreSQL cluster must answer on 127.0.0.1:5432.
if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  if [[ " ${missing[*]} " == *" postgresql "* ]]; then
    # Installed just now by this script: let user postgres in from the loopback
    # interface without password, as the test settings expect.
    hba="/etc/postgresql/${version}/main/pg_hba.conf"
    sed -i '1i host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust' "$hba"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$version" main start
  for _ in $(seq 1 30); do
    pg_isready -h 127.0.0.1 -p 5432 -q && break
    sleep 1
  done
fi
if [ -z "${DATABASE_URL:-}" ] && ! psql -h 127.0.0.1 -U postgres -w -tAc "select 1" >/dev/null 2>&1; then
  echo "PostgreSQL on 127.0.0.1:5432 refuses user postgres without password; allow it (pg_hba.conf trust) or set DATABASE_URL." >&2
  exit 1
fi
