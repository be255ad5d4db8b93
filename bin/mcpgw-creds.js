#!/usr/bin/env -S node --
// "node --" ends node's own options: without it, Node.js (20 to 26) takes a script argument
// `--env-file MISSING` as its own flag and exits 9 before mcpgw-creds runs (nodejs/node#54232).
import { run } from '../dist/cli/main.js';

await run();
