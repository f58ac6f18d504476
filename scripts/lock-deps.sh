#!/usr/bin/env bash
# Refresh requirements.lock: every Python package brandsite and its test suite install, pinned
# exactly with hashes, plus the build backend (setuptools) for `pip install --no-build-isolation`.
#   bash scripts/lock-deps.sh            re-resolve within pyproject.toml's ranges, keeping pins that still fit
#   bash scripts/lock-deps.sh --upgrade  move every pin to the newest version the ranges allow
# Review the diff, run `./run test`, and commit pyproject.toml and requirements.lock together.
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS=.venv-lock
[ -x "$TOOLS/bin/pip-compile" ] || {
  python3 -m venv "$TOOLS"
  "$TOOLS/bin/python" -m pip install -q --disable-pip-version-check "pip-tools==7.5.3"
}
"$TOOLS/bin/pip-compile" --quiet --extra test --generate-hashes --allow-unsafe --strip-extras \
  --all-build-deps --no-emit-index-url --no-emit-find-links --output-file requirements.lock "$@" pyproject.toml
echo "lock-deps: requirements.lock has $(grep -c '^[a-z]' requirements.lock) pinned packages"
