#!/usr/bin/env bash
# pretest: make sure what the suite needs is on this machine.
# - redis-server: the Upstash-path tests run against a real one, which the test set-up starts on a
#   free port. With REDIS_URL set, that server is used instead and nothing is installed.
# - chromium: the browser tests (test/browser) drive it with playwright-core. Playwright's own
#   browser download needs the internet; Debian's package does not. With CHROMIUM_PATH set, that
#   binary is used instead and nothing is installed.
# Quiet when everything is present; installs with apt-get only when root on Debian.
set -euo pipefail

can_apt() { [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; }

apt_updated=false
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [[ "$apt_updated" == false ]]; then
    apt-get update -qq
    apt_updated=true
  fi
  apt-get install -y -qq "$@" >/dev/null
}

missing=false

if [[ -z "${REDIS_URL:-}" ]] && ! command -v redis-server >/dev/null 2>&1; then
  if can_apt; then
    echo "pretest: redis-server is missing; installing it with apt-get (Debian package redis-server)" >&2
    apt_install redis-server
    redis-server --version >&2
  else
    missing=true
    cat >&2 <<'MSG'
pretest: the test suite needs redis-server, and it is not on PATH.
Install it, then run npm test again:

    sudo apt-get install -y redis-server      # Debian, Ubuntu
    brew install redis                        # macOS

Or point the suite at a running server: REDIS_URL=redis://127.0.0.1:6379 npm test
MSG
  fi
fi

if [[ -n "${CHROMIUM_PATH:-}" ]]; then
  if [[ ! -x "$CHROMIUM_PATH" ]]; then
    echo "pretest: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." >&2
    missing=true
  fi
elif [[ ! -x /usr/bin/chromium ]]; then
  if can_apt; then
    echo "pretest: chromium is missing; installing it with apt-get (Debian package chromium)" >&2
    # Its recommends (printing, notification daemon, upower) are desktop extras headless tests never use.
    apt_install --no-install-recommends chromium
    /usr/bin/chromium --version >&2
  else
    missing=true
    cat >&2 <<'MSG'
pretest: the browser tests need Chromium at /usr/bin/chromium, and it is not there.
Install it, then run npm test again:

    sudo apt-get install -y chromium          # Debian (Ubuntu's is a snap: use CHROMIUM_PATH)

Or point the tests at a Chromium or Chrome binary: CHROMIUM_PATH=/path/to/chrome npm test
MSG
  fi
fi

[[ "$missing" == false ]] || exit 1
