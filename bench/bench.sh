#!/usr/bin/env bash
# Startup and token-request times of mcpgw-creds, each next to a baseline measured in the same run:
# `node -e 0` for startup, `curl` for one token request to the same local identity provider; and the
# credential-helper paths (`token`, `headers`) with fresh tokens, which run on every MCP connection.
# Needs hyperfine (apt-get install hyperfine). Results: bench/results.md (and .json).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { echo "bench: hyperfine is missing: apt-get install hyperfine" >&2; exit 1; }
npm run -s build

work=$(mktemp -d)
trap 'kill "$idp_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
node --import tsx bench/idp.ts "$work/bench.env" > "$work/idp.out" 2>&1 &
idp_pid=$!
for _ in $(seq 1 100); do grep -q ready "$work/idp.out" 2>/dev/null && break; sleep 0.1; done
set -a; . "$work/bench.env"; set +a

cli="$PWD/bin/mcpgw-creds.js"
cd "$work"
"$cli" --ingress-only --quiet   # a cached token for the cached runs

# curl sends the secret from a file (-d @file), never in argv.
printf 'grant_type=client_credentials&client_id=%s&client_secret=%s' "$KEYCLOAK_M2M_CLIENT_ID" "$KEYCLOAK_M2M_CLIENT_SECRET" > "$work/form"
chmod 600 "$work/form"

hyperfine --warmup 3 --min-runs 20 --shell=none \
  --export-markdown "$OLDPWD/bench/results.md" --export-json "$OLDPWD/bench/results.json" \
  -n 'node -e 0' 'node -e 0' \
  -n 'mcpgw-creds --help' "$cli --help" \
  -n 'mcpgw-creds --ingress-only (cached)' "$cli --ingress-only --quiet" \
  -n 'curl: one token request' "curl -sS -o /dev/null -d @$work/form $TOKEN_ENDPOINT" \
  -n 'mcpgw-creds --ingress-only --force (one token request)' "$cli --ingress-only --force --quiet" \
  -n 'mcpgw-creds token (fresh)' "$cli token" \
  -n 'mcpgw-creds headers --server mcpgw (fresh)' "$cli headers --server mcpgw"
