#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test.
# Idempotent: what is already there is not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive: Chromium (the real-browser tests), util-linux's `script` (the
# terminal tests run the CLI on a pseudo-terminal), Java, Maven and unzip to fetch and run Keycloak.
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v script >/dev/null 2>&1 || missing+=(util-linux)
command -v unzip >/dev/null 2>&1 || missing+=(unzip)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v java >/dev/null 2>&1 || missing+=(openjdk-17-jre-headless)
# A real Secret Service for the keychain tests: a D-Bus session bus, gnome-keyring, secret-tool.
command -v dbus-daemon >/dev/null 2>&1 || missing+=(dbus)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
command -v secret-tool >/dev/null 2>&1 || missing+=(libsecret-tools)
# The shells whose completion scripts the tests load (bash is already there).
command -v zsh >/dev/null 2>&1 || missing+=(zsh)
command -v fish >/dev/null 2>&1 || missing+=(fish)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Keycloak from Maven Central into .cache/keycloak, and the MCP clients the tests drive from npm into
# .cache/clients (git-ignored; skipped when already there).
./scripts/fetch-keycloak.sh
./scripts/fetch-clients.sh
# The oldest Node.js release the package supports, and the current LTS line (Node 20 reached its end
# of life in April 2026), from npm into .cache/node.
oldest=20.19.0
current=24.22.3
./scripts/fetch-node.sh "$oldest" "$current"

npm ci --no-audit --no-fund
# Build, type check and lint once; then every test on each release.
npm run build
npm run typecheck
npm run lint
./scripts/test-on-node.sh "$oldest"
./scripts/test-on-node.sh "$current"
