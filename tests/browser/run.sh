#!/usr/bin/env bash
# Browser checks of the site and the back office, and the check of the OpenAPI
# document: installs what is missing, then runs
# `node --test tests/browser/` from the repo root. Non-interactive (works with
# CI=true and no stdin); exits non-zero when a check fails.
#
# Env: WARRAQ_BIN   binary to test (default target/debug/warraq, built if missing)
#      CHROMIUM_BIN chromium to drive (default /usr/bin/chromium)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"

chromium_bin="${CHROMIUM_BIN:-/usr/bin/chromium}"

# Debian's chromium and the Noto fonts (Arabic glyphs); playwright downloads no browser.
if [ ! -x "$chromium_bin" ] || ! dpkg-query -W -f='${Status}' fonts-noto-core 2>/dev/null | grep -q 'ok installed'; then
  echo "browser tests: installing chromium and fonts-noto-core" >&2
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo -n"; fi
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium fonts-noto-core >/dev/null
fi

# Every dependency in package.json, so that one added later is installed too.
if ! (cd "$here" && node -e '
  const fs = require("fs");
  const deps = Object.keys(JSON.parse(fs.readFileSync("package.json", "utf8")).dependencies);
  process.exit(deps.every((d) => fs.existsSync(`node_modules/${d}/package.json`)) ? 0 : 1);
'); then
  echo "browser tests: npm ci" >&2
  (cd "$here" && npm ci --silent --no-audit --no-fund)
fi

if [ -z "${WARRAQ_BIN:-}" ] && [ ! -x "$root/target/debug/warraq" ]; then
  echo "browser tests: cargo build -p warraq" >&2
  cargo build -q -p warraq
fi

exec node --test tests/browser/
