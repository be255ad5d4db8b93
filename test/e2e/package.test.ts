import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

/**
 * The package as a user gets it: `npm pack` (what the tarball holds, and nothing else), installed
 * into an empty folder with npm, then run there with npx: --version, --help, and the main run
 * against a local identity provider. The install takes only the runtime dependencies, so anything
 * the bundle forgot to include fails here.
 */
const SECRET = 'package-test-secret-0123456789';
const { version } = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
let files: string[];
let folder: string;
let idp: LocalIdp;

function run(command: string, args: string[], cwd: string, timeout = 240_000): { stdout: string; stderr: string } {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? cwd, npm_config_update_notifier: 'false', npm_config_fund: 'false' },
  });
  expect(result.status, `${command} ${args.join(' ')}: ${result.stderr}`).toBe(0);
  return { stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  const packDir = makeWorkdir('mcpgw-pack-');
  // --ignore-scripts: dist/ is already built (the test command builds first), and rebuilding it here
  // would pull it from under the other end-to-end tests running at the same time.
  const packed = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', packDir], REPO).stdout) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  files = packed[0]?.files.map((file) => file.path) ?? [];
  folder = makeWorkdir('mcpgw-installed-');
  writeFileSync(path.join(folder, 'package.json'), '{"name": "empty-folder", "private": true}\n');
  run('npm', ['install', '--no-audit', '--prefer-offline', path.join(packDir, packed[0]?.filename ?? '')], folder);
  idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'pack-m2m', clientSecret: SECRET }] });
}, 300_000);
afterAll(async () => {
  await idp.close();
});

describe('the npm package', () => {
  it('holds the program, its provider definitions and the user documentation; no sources, tests, demo or benchmark', () => {
    for (const needed of ['bin/mcpgw-creds.js', 'dist/cli/main.js', 'providers/atlassian.yaml', 'README.md', 'LICENSE', 'CHANGELOG.md']) {
      expect(files).toContain(needed);
    }
    expect(files).toEqual(expect.arrayContaining(['.env.example', 'docs/configuration.md', 'docs/commands.md', 'docs/troubleshooting.md']));
    const strays = files.filter((file) => /^(src|test|demo|demo-output|bench|scripts|\.cache|node_modules)\/|\.test\.|\.ts$/.test(file));
    expect(strays).toEqual([]);
  });

  it('declares its command, the Node versions it runs on, its licence, and only runtime dependencies', () => {
    const manifest = JSON.parse(readFileSync(path.join(folder, 'node_modules/mcpgw-creds/package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(manifest.bin).toEqual({ 'mcpgw-creds': 'bin/mcpgw-creds.js' });
    expect(manifest.engines).toEqual({ node: '>=20.19' });
    expect(manifest.license).toBe('Apache-2.0');
    expect(readFileSync(path.join(folder, 'node_modules/mcpgw-creds/LICENSE'), 'utf8')).toContain('Apache License');
    expect(Object.keys(manifest.dependencies as object).sort()).toEqual(['@keycloak/keycloak-admin-client', '@napi-rs/keyring', 'open']);
    // Nothing of ours runs at install time (npm asks users to allow such scripts, and the build needs devDependencies).
    const scripts = Object.keys(manifest.scripts ?? {});
    expect(scripts.filter((name) => ['preinstall', 'install', 'postinstall', 'prepare'].includes(name))).toEqual([]);
  });

  it('runs from an empty folder with npx: --version, --help, and the main run against an identity provider', async () => {
    expect(run('npx', ['--no', '--', 'mcpgw-creds', '--version'], folder).stdout.trim()).toBe(version);
    const help = run('npx', ['--no', '--', 'mcpgw-creds', '--help'], folder).stdout;
    for (const command of ['token', 'headers', 'install', 'doctor', 'completion']) expect(help).toContain(command);
    writeFileSync(
      path.join(folder, '.env'),
      [
        'AUTH_PROVIDER=keycloak',
        `KEYCLOAK_URL=${idp.baseUrl}`,
        'KEYCLOAK_M2M_CLIENT_ID=pack-m2m',
        `KEYCLOAK_M2M_CLIENT_SECRET=${SECRET}`,
        'REGISTRY_URL=https://gateway.example.com',
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    // Not spawnSync: the identity provider answers from this process, whose event loop must run.
    const main = await promisify(execFile)('npx', ['--no', '--', 'mcpgw-creds'], {
      cwd: folder,
      env: { PATH: process.env.PATH ?? '', HOME: folder },
    });
    expect(`${main.stdout}${main.stderr}`).not.toContain(SECRET);
    expect(statSync(path.join(folder, '.oauth-tokens/ingress.json')).mode & 0o777).toBe(0o600);
    const rendered = JSON.parse(readFileSync(path.join(folder, '.oauth-tokens/mcp.json'), 'utf8')) as {
      mcpServers: Record<string, unknown>;
    };
    expect(Object.keys(rendered.mcpServers)).toContain('mcpgw');
    expect(idp.tokenRequests()).toHaveLength(1);
  });
});
