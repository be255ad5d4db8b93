#!/usr/bin/env bash
# Installs the third-party MCP clients the tests drive (Claude Code, Gemini CLI, Codex) from npm into
# .cache/clients/ (git-ignored), at pinned versions. Does nothing when they are already there.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=".cache/clients"
claude="@anthropic-ai/claude-code@2.1.332"
gemini="@google/gemini-cli@0.61.0"
codex="@openai/codex@0.171.0"
stamp="$dir/.installed-$(echo "$claude $gemini $codex" | tr '/@ ' '___')"
if [ -f "$stamp" ] && [ -x "$dir/node_modules/.bin/claude" ] && [ -x "$dir/node_modules/.bin/gemini" ] && [ -x "$dir/node_modules/.bin/codex" ]; then exit 0; fi
mkdir -p "$dir"
echo "fetch-clients: installing $claude, $gemini and $codex from npm into $dir (~600 MB)" >&2
npm install --prefix "$dir" --no-audit --no-fund --no-save --loglevel=error "$claude" "$gemini" "$codex" >&2
touch "$stamp"
