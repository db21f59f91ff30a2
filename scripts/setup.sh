#!/usr/bin/env bash
# `npm run setup`: everything the test suite needs on a Debian/Ubuntu machine —
# Debian's chromium and firefox-esr (the end-to-end tests drive them), redis-server (the shared
# rate limit's tests start their own, on an ephemeral port), then `npm ci`.
# Nothing else installs browsers: `npm test` only says what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
# The browsers' Brazilian Portuguese (the i18n end-to-end tests run them in pt-BR; without these
# files Chromium and Firefox fall back to English whatever --lang or intl.locale.requested say).
[ -f /usr/lib/chromium/locales/pt-BR.pak ] || missing+=(chromium-l10n)
ls /usr/lib/firefox-esr/browser/extensions/langpack-pt-BR@* >/dev/null 2>&1 || missing+=(firefox-esr-l10n-pt-br)

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install ${missing[*]} with your package manager (the tests drive a real Chromium and Firefox ESR, and start a real Redis)." >&2
    exit 1
  fi
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

npm ci --no-audit --no-fund
