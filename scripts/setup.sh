#!/usr/bin/env bash
# Installs what the server and its tests need, once: Debian packages, the Silero VAD model (from npm),
# npm test peers (libwebrtc for Node, playwright-core driving Debian's Chromium) live in tests/peers; reinstalled when
# their lock file changes. Playwright never downloads a browser here: the tests use /usr/bin/chromium.
if [ "${MEDIASERVER_TEST_PEERS:-0}" = "1" ] && [ -f "$root/tests/peers/package.json" ]; then
  stamp="$root/tests/peers/node_modules/.mediaserver-stamp"
  want="$(cat "$root/tests/peers/package.json" "$root/tests/peers/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "setup: installing npm test peers"
    (cd "$root/tests/peers" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm install --silent --no-audit --no-fund >/dev/null)
    echo "$want" > "$stamp"
  fi
fi

dotnet restore MediaServer.sln --verbosity quiet
dotnet build MediaServer.sln --no-restore --configuration "${CONFIGURATION:-Release}" --verbosity quiet -nologo
