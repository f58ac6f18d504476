#!/usr/bin/env bash
# What a company does, from the built wheel, outside this checkout: a fresh virtual environment,
# the wheel installed into it, `brandsite init`, `check`, `build`, `new theme`, and `serve`
# answering a request. Also builds the sdist and checks that both carry the installed themes and
# the workflows `init` writes. Prints the wheel's size and how long install and init-to-first-build
# took.
#   bash scripts/wheel-smoke.sh [PYTHON]      (default: .venv/bin/python, which has setuptools)
# Offline apart from PyPI: both are built with the setuptools of requirements.lock (no build
# isolation), and the fresh venv gets its dependencies from requirements.lock (hashes checked),
# then the wheel with --no-deps. With BRANDSITE_NEWEST=1 (the weekly newest-versions run) pip
# resolves the wheel's dependencies itself, as `pip install brandsite` does for a company.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
PY="${1:-.venv/bin/python}"
WORK=$(mktemp -d /tmp/brandsite-smoke.XXXXXX)
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f} s')" "$1" "$(now)"; }
quiet() { { grep -v 'is ignored: it is neither a file nor a directory' || true; }; }
fail() { echo "wheel-smoke: $*" >&2; exit 1; }
pip=(-m pip install -q --disable-pip-version-check)

# As `python -m build` does (release.yml): the sdist from the checkout with setuptools' own PEP 517
# hook (it leaves *.egg-info/ here, git-ignored), then the wheel from the unpacked sdist, so the
# wheel proves that the sdist has everything.
"$PY" -c 'import sys; from setuptools import build_meta; build_meta.build_sdist(sys.argv[1])' \
  "$WORK/dist" >/dev/null 2>&1 || fail "building the sdist failed"
mkdir "$WORK/sdist" && tar -xzf "$WORK"/dist/brandsite-*.tar.gz -C "$WORK/sdist"
"$PY" -m pip wheel -q --no-deps --no-build-isolation -w "$WORK/dist" "$WORK"/sdist/brandsite-* 2>&1 | quiet
wheel=$(ls "$WORK"/dist/brandsite-*.whl)
sdist=$(ls "$WORK"/dist/brandsite-*.tar.gz)
echo "wheel-smoke: $(basename "$wheel"): $(du -k "$wheel" | cut -f1) KiB," \
  "$(python3 -m zipfile -l "$wheel" | tail -n +2 | wc -l) files;" \
  "$(basename "$sdist"): $(du -k "$sdist" | cut -f1) KiB"
python3 - "$wheel" "$sdist" <<'PY' || fail "the wheel or sdist lacks a theme or workflow file"
import sys, tarfile, zipfile
wheel = set(zipfile.ZipFile(sys.argv[1]).namelist())
with tarfile.open(sys.argv[2]) as tar:
    sdist = {name.split("/", 1)[1] for name in tar.getnames() if "/" in name}
for name in ("default/templates/base.html", "default/static/style.css", "example-brand/theme.toml"):
    assert f"generator/builtin_themes/{name}" in wheel, name
    assert f"themes/{name}" in sdist, name
for name in ("check.yml", "deploy.yml"):
    assert f"generator/builtin_workflows/{name}" in wheel, name
    assert f".github/workflows/{name}" in sdist, name
assert not any("wavelight" in name for name in wheel), "the sample's own theme is not brandsite's"
PY

t=$(now)
python3 -m venv "$WORK/venv"
if [ -n "${BRANDSITE_NEWEST:-}" ]; then
  "$WORK/venv/bin/python" "${pip[@]}" "$wheel" 2>&1 | quiet
  echo "wheel-smoke: fresh venv + pip install of the wheel (newest dependencies): $(since "$t")"
else
  "$WORK/venv/bin/python" "${pip[@]}" --require-hashes -r "$REPO/requirements.lock" 2>&1 | quiet
  echo "wheel-smoke: fresh venv + requirements.lock: $(since "$t")"
  t=$(now)
  "$WORK/venv/bin/python" "${pip[@]}" --no-deps "$wheel" 2>&1 | quiet
  echo "wheel-smoke: pip install --no-deps of the wheel: $(since "$t")"
fi
bs="$WORK/venv/bin/brandsite"
version=$("$bs" --version)
echo "wheel-smoke: $version"

cd "$WORK"
t=$(now)
"$bs" init careers --company "Beispiel GmbH" --title "Karriere bei Beispiel" \
  --base-url "https://karriere.example.com/" --language de --values "Mut,Verantwortung,Neugier" \
  </dev/null >/dev/null
cd careers
"$bs" check </dev/null
"$bs" build </dev/null
echo "wheel-smoke: init + check + build: $(since "$t")"
[ -f output/index.html ] || fail "no output/index.html"
for slug in mut verantwortung neugier; do
  [ -f "output/values/$slug/index.html" ] || fail "no page for the value $slug"
done
[ ! -e themes ] || fail "init wrote a themes/ folder; the installed theme should do"
grep -q "BRANDSITE: \"brandsite==${version#brandsite }\"" .github/workflows/check.yml \
  || fail "check.yml is not pinned to ${version}"

"$bs" new theme acme </dev/null >/dev/null
sed -i 's/^theme = "default"$/theme = "acme"/' site.toml
"$bs" build </dev/null >/dev/null
grep -q '/assets/theme\.[0-9a-f]*\.css' output/index.html || fail "the new theme's theme.css is not linked"

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bs" serve --port "$port" </dev/null >"$WORK/serve.log" 2>&1 &
server=$!
python3 - "$port" <<'PY' || { cat "$WORK/serve.log" >&2; fail "serve did not answer"; }
import sys, time, urllib.request
for attempt in range(150):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/", timeout=2) as r:
            assert r.status == 200 and b"Beispiel GmbH" in r.read()
            break
    except OSError:
        time.sleep(0.2)
else:
    raise SystemExit("no answer in 30 s")
print("wheel-smoke: serve answered GET /")
PY
echo "wheel-smoke: ok"
