#!/usr/bin/env bash
# Installs the Debian packages the build and the tests need, when something is missing.
# A no-op on a machine that has them; as root it runs apt-get, otherwise it prints the command.
set -euo pipefail
PKGS="postgresql-15 postgresql-client-15 libpq-dev libcurl4-openssl-dev pkg-config python3 chromium fonts-dejavu-core"
missing=()
command -v pkg-config >/dev/null || missing+=(pkg-config)
pkg-config --exists libpq 2>/dev/null || missing+=(libpq-dev)
pkg-config --exists libcurl 2>/dev/null || missing+=(libcurl4-openssl-dev)
[ -x /usr/lib/postgresql/15/bin/initdb ] || command -v initdb >/dev/null || missing+=(postgresql-15)
command -v pg_config >/dev/null || missing+=(postgresql-client-15)
command -v python3 >/dev/null || missing+=(python3)
# Headless Chromium renders the dashboard and the report in tests (scripts/browser_check.py) and for `make screenshots`.
command -v chromium >/dev/null || missing+=(chromium)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: missing ${missing[*]}" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
else
  echo "deps: run: sudo apt-get install -y $PKGS" >&2; exit 2
fi
