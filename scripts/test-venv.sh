#!/usr/bin/env bash
# Creates/updates .venv-test with scripts/test-requirements.txt (only when the file changed since the last install).
# Tests find the interpreter at .venv-test/bin/python (FITDATA_TEST_PYTHON overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv-test
REQ=scripts/test-requirements.txt
STAMP="$VENV/.requirements.sha256"
want=$(sha256sum "$REQ" | cut -d' ' -f1)
if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then exit 0; fi
[ -x "$VENV/bin/python" ] || python3 -m venv --clear "$VENV"   # --clear: a half-made venv is started over
if grep -qvE '^\s*(#|$)' "$REQ"; then
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQ"
fi
echo "$want" > "$STAMP"
