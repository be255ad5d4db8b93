#!/usr/bin/env -S node --
// "node --" ends node's own options: without it, Node.js (20 to 26) takes a script argument
// `--env-file MISSING` as its own flag and exits 9 before mcpgw-creds runs (nodejs/node#54232).
import module from 'node:module';
import { compileCacheDir } from '../dist/cli/compile-cache.js';

// V8's compiled code kept between runs (Node.js 22.1 and later; older ones lack the function): the
// credential paths then skip most of their parse and compile work. In the user's own cache
// directory, not the shared temporary one Node picks by default.
const cacheDir = module.enableCompileCache ? compileCacheDir(process.env, process.platform) : undefined;
if (cacheDir) module.enableCompileCache(cacheDir);
const { run } = await import('../dist/cli/main.js');
await run();
