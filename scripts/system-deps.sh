#!/usr/bin/env bash
# Debian packages the browser tests need, installed only when missing,
# then the npm test tools of package.json (axe-core) into ./node_modules.
set -euo pipefail
cd "$(dirname "$0")/.."
npm_tools() {
  if [ ! -f node_modules/axe-core/axe.min.js ]; then
    echo "Installing npm test tools (package-lock.json)..."
    npm ci --no-audit --no-fund --silent
  fi
}
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v npm >/dev/null 2>&1 || missing+=(npm)
fc-list 2>/dev/null | grep -qi dejavu || missing+=(fonts-dejavu-core)
if [ ${#missing[@]} -eq 0 ]; then
  npm_tools
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "Installing ${missing[*]}..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
npm_tools
