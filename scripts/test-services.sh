#!/usr/bin/env bash
# pretest: make sure what the suite needs is on this machine. The Upstash-path tests run against a
# real redis-server, which the test set-up starts on a free port. With REDIS_URL set, that server is
# used instead and nothing is installed.
set -euo pipefail

if [[ -n "${REDIS_URL:-}" ]] || command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

if [[ "$(id -u)" == "0" ]] && command -v apt-get >/dev/null 2>&1; then
  echo "pretest: redis-server is missing; installing it with apt-get (Debian package redis-server)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq redis-server >/dev/null
  redis-server --version >&2
  exit 0
fi

cat >&2 <<'MSG'
pretest: the test suite needs redis-server, and it is not on PATH.
Install it, then run npm test again:

    sudo apt-get install -y redis-server      # Debian, Ubuntu
    brew install redis                        # macOS

Or point the suite at a running server: REDIS_URL=redis://127.0.0.1:6379 npm test
MSG
exit 1
