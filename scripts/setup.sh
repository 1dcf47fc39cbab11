#!/usr/bin/env bash
# Installs what the server and its tests need, once: Debian packages, the Silero VAD model (from npm), the npm
# test peers, NuGet packages; then builds. Idempotent: each step checks before it acts.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

SUDO=""
if [ "$(id -u)" != "0" ]; then SUDO="sudo"; fi

# Debian packages: engines (pocketsphinx, flite, espeak-ng), audio tools (sox), codecs (libopus0), Node for npm,
# and, for the tests, the real peers they drive (Chromium, SIPp, baresip, redis-server, Kamailio).
apt_packages=(pocketsphinx pocketsphinx-en-us libpocketsphinx3 flite libflite1 espeak-ng libespeak-ng1 sox libopus0)
if ! command -v npm >/dev/null 2>&1; then apt_packages+=(nodejs npm); fi
if [ "${MEDIASERVER_TEST_PEERS:-0}" = "1" ]; then
  apt_packages+=(chromium chromium-driver sip-tester baresip)
  # The scale-out test: a shared node registry and a SIP dispatcher in front of two server processes.
  apt_packages+=(redis-server kamailio)
fi
missing=()
for p in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  echo 'wireshark-common wireshark-common/install-setuid boolean false' | $SUDO debconf-set-selections 2>/dev/null || true
  $SUDO apt-get update -qq
  # redis-server and kamailio would start as system services (Kamailio on port 5060, the server's default SIP port):
  # the tests start their own on free ports, so package scripts may start no service during this install.
  policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    policy=/usr/sbin/policy-rc.d
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null && $SUDO chmod +x "$policy"
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  if [ -n "$policy" ]; then $SUDO rm -f "$policy"; fi
  if [ "$status" != 0 ]; then exit "$status"; fi
fi

# Silero VAD v6.2 ONNX: shipped inside the npm package @livekit/agents-plugin-silero (Apache-2.0 package,
# MIT model). Fetched with npm, checked against its published SHA-256, never committed.
models="$root/.models"
silero_sha="1a153a22f4509e292a94e67d6f9b85e8deb25b4988682b7e174c65279d8788e3"
mkdir -p "$models"
if [ ! -f "$models/silero_vad.onnx" ] || ! echo "$silero_sha  $models/silero_vad.onnx" | sha256sum -c --quiet 2>/dev/null; then
  echo "setup: fetching the Silero VAD model from npm"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent @livekit/agents-plugin-silero@1.9.0 >/dev/null && tar xzf ./*.tgz)
  cp "$tmp/package/dist/silero_vad.onnx" "$models/silero_vad.onnx"
  rm -rf "$tmp"
  echo "$silero_sha  $models/silero_vad.onnx" | sha256sum -c --quiet
fi

# npm test peers (libwebrtc for Node, playwright-core driving Debian's Chromium) live in tests/peers; reinstalled when
# their package files change. Playwright never downloads a browser here: the tests use /usr/bin/chromium.
if [ "${MEDIASERVER_TEST_PEERS:-0}" = "1" ] && [ -f "$root/tests/peers/package.json" ]; then
  stamp="$root/tests/peers/node_modules/.mediaserver-stamp"
  want="$(cat "$root/tests/peers/package.json" "$root/tests/peers/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing npm test peers"
    (cd "$root/tests/peers" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" > "$stamp"
  fi
fi

dotnet restore MediaServer.sln --verbosity quiet
dotnet build MediaServer.sln --no-restore --configuration "${CONFIGURATION:-Release}" --verbosity quiet -nologo
