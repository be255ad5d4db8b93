import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

/**
 * What the paths that run on every MCP connection load: neither undici (the global fetch and its
 * Headers and Response classes, ~45 ms on Node 24), nor node:crypto (dotenv loads it for encrypted
 * files), nor node:child_process (commander loads it for executable subcommands). Read from Node's
 * own list of the built-in modules a process loaded.
 */
const SECRET = 'startup-secret-0123456789';
let idp: LocalIdp;
let cwd: string;

beforeAll(async () => {
  idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
  cwd = makeWorkdir('mcpgw-startup-');
  const env = [
    'AUTH_PROVIDER=keycloak',
    `KEYCLOAK_URL=${idp.baseUrl}`,
    'KEYCLOAK_M2M_CLIENT_ID=m2m',
    `KEYCLOAK_M2M_CLIENT_SECRET=${SECRET}`,
    'REGISTRY_URL=https://gateway.example.com',
    '',
  ];
  writeFileSync(path.join(cwd, '.env'), env.join('\n'), { mode: 0o600 });
  expect((await runCli(['--ingress-only'], { cwd })).code).toBe(0);
});
afterAll(async () => {
  await idp.close();
});

/** Runs the CLI in a Node process that prints, at exit, the built-in modules it loaded. */
function builtinsLoadedBy(args: string[]): string[] {
  const wrapper = path.join(cwd, 'loaded.mjs');
  writeFileSync(
    wrapper,
    [
      "process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(process.moduleLoadList) + '\\n'));",
      `process.argv = [process.argv[0], ${JSON.stringify(BIN)}, ...process.argv.slice(2)];`,
      `await import(${JSON.stringify(BIN)});`,
    ].join('\n'),
  );
  const run = spawnSync(process.execPath, [wrapper, ...args], { cwd, env: { PATH: process.env.PATH ?? '', HOME: cwd }, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const line = run.stderr.split('\n').find((text) => text.startsWith('LOADED '));
  return JSON.parse(line?.slice('LOADED '.length) ?? '[]') as string[];
}

/** The bundle's chunks a run loaded, from Node's own module-loader trace (NODE_DEBUG=esm). */
function chunksLoadedBy(args: string[]): string[] {
  const run = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: cwd, NODE_DEBUG: 'esm' },
    encoding: 'utf8',
    // Node 24's loader trace prints whole objects: well over spawnSync's default 1 MB.
    maxBuffer: 256 * 1024 * 1024,
  });
  expect(run.error).toBeUndefined();
  expect(run.status, run.stderr).toBe(0);
  return [...new Set(run.stderr.match(/dist\/(?:chunks|cli)\/[\w-]+\.js/g) ?? [])];
}

describe('start-up: what the credential helpers load', () => {
  it('token, headers and the main run on a plain command line do not load commander (the program chunk); status does', () => {
    for (const args of [['token'], ['headers', '--server', 'mcpgw'], ['--ingress-only', '--quiet']]) {
      const chunks = chunksLoadedBy(args);
      expect(chunks, args.join(' ')).toContain('dist/cli/main.js');
      expect(
        chunks.filter((chunk) => chunk.startsWith('dist/chunks/program-')),
        args.join(' '),
      ).toEqual([]);
    }
    expect(chunksLoadedBy(['status']).filter((chunk) => chunk.startsWith('dist/chunks/program-'))).toHaveLength(1);
  });

  for (const args of [['token'], ['headers', '--server', 'mcpgw'], ['--ingress-only']]) {
    it(`mcpgw-creds ${args.join(' ')} with a fresh token loads neither undici, node:crypto nor node:child_process`, () => {
      const loaded = builtinsLoadedBy(args);
      expect(loaded.length).toBeGreaterThan(20);
      expect(loaded.filter((name) => /undici|NativeModule crypto$|NativeModule child_process$/.test(name))).toEqual([]);
    });
  }
});
