#!/usr/bin/env bash
# Quick start: installs what is missing, builds, and runs the server in the foreground on http://127.0.0.1:8080.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$root/scripts/setup.sh"
export MediaServer__Engines__ModelsDirectory="${MediaServer__Engines__ModelsDirectory:-$root/.models}"
# Two glibc malloc arenas: with glibc's default (eight per core) the native engines' RSS crept up about 2 MB a
# minute in the 30-minute soak; with two it stayed level (README, soak). glibc reads this only at process start.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
exec dotnet "$root/artifacts/bin/MediaServer/release/MediaServer.dll" --MediaServer:Web:Root "$root/web" "$@"
