#!/usr/bin/env bash
# Installs what is missing, builds, and runs every test suite. Slow suites (fuzz, load, soak) run only
# with MEDIASERVER_SLOW_TESTS=1. Prints one closing line: "N passed, N failed, N skipped".
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
export MEDIASERVER_TEST_PEERS=1
"$root/scripts/setup.sh"
export MEDIASERVER_MODELS_DIR="${MEDIASERVER_MODELS_DIR:-$root/.models}"
export MEDIASERVER_SHARED_MODELS="${MEDIASERVER_SHARED_MODELS:-$root/../shared/models}"
filter="Category!=Slow"
if [ "${MEDIASERVER_SLOW_TESTS:-0}" = "1" ]; then filter=""; fi
results="$root/artifacts/test-results"
rm -rf "$results"; mkdir -p "$results"
status=0
for proj in "$root"/tests/*/*.Tests.csproj; do
  name="$(basename "$proj" .csproj)"
  echo "== $name"
  dotnet test "$proj" --no-build --configuration Release --nologo --verbosity quiet \
    ${filter:+--filter "$filter"} --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done
python3 - "$results" <<'PY' || true
import sys, glob, xml.etree.ElementTree as ET
p = f = s = 0
for path in glob.glob(sys.argv[1] + "/*.trx"):
    c = ET.parse(path).getroot().find(".//{*}Counters")
    if c is None: continue
    p += int(c.get("passed", 0)); f += int(c.get("failed", 0)) + int(c.get("error", 0)) + int(c.get("timeout", 0))
    s += int(c.get("notExecuted", 0))
    # Name each failure with the start of its message, so a CI log alone says what broke.
    for r in ET.parse(path).getroot().findall(".//{*}UnitTestResult"):
        if r.get("outcome") in ("Failed", "Error", "Timeout"):
            m = r.find(".//{*}Message")
            text = (m.text or "").strip().replace("\n", " ")[:400] if m is not None else ""
            print(f"FAILED {r.get('testName')} ({r.get('duration')}): {text}")
print(f"tests: {p} passed, {f} failed, {s} skipped")
PY
exit $status
