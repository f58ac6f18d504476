#!/usr/bin/env bash
# What a company does, from the built wheel, outside this checkout: a fresh virtual environment,
# `pip install brandsite-*.whl`, `brandsite init`, `check`, `build`, and `serve` answering a request.
# Prints the wheel's size and how long install and init-to-first-build took.
#   bash scripts/wheel-smoke.sh [PYTHON]      (default: .venv/bin/python, which has setuptools)
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${1:-.venv/bin/python}"
WORK=$(mktemp -d /tmp/brandsite-smoke.XXXXXX)
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$1" "$(now)"; }

"$PY" -m pip wheel -q --no-deps --no-build-isolation -w "$WORK/dist" . 2>&1 \
  | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
wheel=$(ls "$WORK"/dist/brandsite-*.whl)
echo "wheel-smoke: $(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB," \
  "$(python3 -m zipfile -l "$wheel" | tail -n +2 | wc -l) files"
python3 -m zipfile -l "$wheel" | grep -q 'themes/default/templates/base.html' \
  || { echo "wheel-smoke: the default theme is not in the wheel" >&2; exit 1; }

t=$(now)
python3 -m venv "$WORK/venv"
"$WORK/venv/bin/python" -m pip install -q "$wheel" 2>&1 \
  | { grep -v 'is ignored: it is neither a file nor a directory' || true; }
echo "wheel-smoke: venv + pip install: $(since "$t")"
bs="$WORK/venv/bin/brandsite"
"$bs" --version

cd "$WORK"
t=$(now)
"$bs" init careers --company "Beispiel GmbH" --title "Karriere bei Beispiel" \
  --base-url "https://karriere.example.com/" --language de --values "Mut,Verantwortung,Neugier" </dev/null
cd careers
"$bs" check </dev/null
"$bs" build </dev/null
echo "wheel-smoke: init + check + build: $(since "$t")"
[ -f output/index.html ] || { echo "wheel-smoke: no output/index.html" >&2; exit 1; }
test ! -e themes || { echo "wheel-smoke: init wrote a themes/ folder; the packaged theme should do" >&2; exit 1; }

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bs" serve --port "$port" </dev/null >"$WORK/serve.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do
  if python3 - "$port" <<'PY' 2>/dev/null; then break; fi
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=2) as r:
    assert r.status == 200 and b"<html" in r.read()
PY
  sleep 0.2
done
python3 - "$port" <<'PY' || { cat "$WORK/serve.log" >&2; exit 1; }
import sys, urllib.request
with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=5) as r:
    assert r.status == 200 and b"<html" in r.read()
print("wheel-smoke: serve answered GET /")
PY
echo "wheel-smoke: ok"
