#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine, then runs every test.
# Idempotent: what is already there is not installed again.
set -euo pipefail
cd "$(dirname "$0")/.."

npm ci --no-audit --no-fund
npm test
