#!/usr/bin/env bash
# The credential paths next to Node's own start-up, all in one run with hyperfine: `node -e 0` is the
# baseline for start-up and memory, `curl` for one token request to the same local identity provider;
# then 1 agent against 100 agents (each --force), and the bridge against a direct Streamable HTTP call.
# Usage: bench/bench.sh [NODE]   (NODE: another node binary to run everything with, e.g. Node 24's)
# Needs hyperfine and GNU time (apt-get install hyperfine time). Writes bench/results-nodeMAJOR.md
# (the table with ratios and goals) and .json (every run's time, pooled over the rounds).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
for tool in hyperfine /usr/bin/time curl; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing: apt-get install hyperfine time curl" >&2; exit 1; }
done
if [ $# -gt 0 ]; then PATH="$(cd "$(dirname "$1")" && pwd):$PATH"; fi
major=$(node -p 'process.versions.node.split(".")[0]')
echo "bench: Node $(node --version) ($(command -v node)), $(nproc) cores" >&2
npm run -s build

work=$(mktemp -d)
trap 'kill "$idp_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
node --import tsx bench/idp.ts "$work" > "$work/idp.out" 2>&1 &
idp_pid=$!
for _ in $(seq 1 200); do grep -q ready "$work/idp.out" 2>/dev/null && break; sleep 0.1; done
grep -q ready "$work/idp.out" || { cat "$work/idp.out" >&2; exit 1; }

cli="$repo/bin/mcpgw-creds.js"
cd "$work/cli"
# A cached ingress token and rendered files for the cached runs, and the compile cache filled.
"$cli" --ingress-only --quiet
"$cli" token >/dev/null
agents1="--tokens-dir $work/agents-1/.oauth-tokens"
agents100="--tokens-dir $work/agents-100/.oauth-tokens"

declare -a names=(
  'node -e 0'
  'curl: one token request'
  'floor: an empty ES module'
  'floor: an ES module that prints the stored token'
  'mcpgw-creds --help'
  'mcpgw-creds token (fresh)'
  'mcpgw-creds headers --server mcpgw (fresh)'
  'mcpgw-creds --ingress-only (cached)'
  'mcpgw-creds --ingress-only --force (one request + render)'
  'mcpgw-creds --agents-only --force, 1 agent'
  'mcpgw-creds --agents-only --force, 100 agents'
)
declare -a commands=(
  'node -e 0'
  "curl -sS -o /dev/null -d @$work/form $(cat "$work/token-endpoint")"
  "node $repo/bench/floor-empty.mjs"
  "node $repo/bench/floor-token.mjs"
  "$cli --help"
  "$cli token"
  "$cli headers --server mcpgw"
  "$cli --ingress-only --quiet"
  "$cli --ingress-only --force --quiet"
  "$cli --agents-only --force --quiet $agents1"
  "$cli --agents-only --force --quiet $agents100"
)
args=()
for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${commands[$i]}"); done
# Rounds of a few runs each, pooled by report.ts: on a shared machine whose speed drifts over a
# minute, each path is then measured throughout the benchmark, not in its own slice of it.
rounds=${BENCH_ROUNDS:-6}
for round in $(seq 1 "$rounds"); do
  echo "bench: round $round of $rounds" >&2
  hyperfine --warmup 1 --runs 4 --shell=none --export-json "$work/hyperfine-$round.json" "${args[@]}" > "$work/hyperfine-$round.log"
done

# Peak memory (max RSS) of each path: the median of 5 runs under GNU time.
: > "$work/memory.tsv"
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086 # each command is a word list, as hyperfine ran it
  kib=$(for _ in 1 2 3 4 5; do /usr/bin/time -f %M ${commands[$i]} 2>&1 >/dev/null | tail -1; done | sort -n | sed -n 3p)
  printf '%s\t%s\n' "${names[$i]}" "$kib" >> "$work/memory.tsv"
done

cd "$repo"
npx tsx bench/bridge.ts 300 "$work/bridge.json" >&2
npx tsx bench/report.ts "$work/memory.tsv" "$work/bridge.json" "bench/results-node$major" "$work"/hyperfine-*.json
cat "bench/results-node$major.md"
