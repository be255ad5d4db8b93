import { chmodSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli } from '../helpers/run-cli.js';
import { makeWorkdir, modeOf, readJson } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const SECRET = 'store-test-secret-31415926';
let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
});
afterAll(() => idp.close());

const env = (): Record<string, string> => ({
  AUTH_PROVIDER: 'keycloak',
  KEYCLOAK_URL: idp.baseUrl,
  KEYCLOAK_M2M_CLIENT_ID: 'm2m',
  KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
  REGISTRY_URL: 'https://gateway.example.com',
});

describe('the token store on disk', () => {
  it('refuses a symbolic link planted at ingress.json and leaves its target untouched', async () => {
    const cwd = makeWorkdir();
    const dir = path.join(cwd, '.oauth-tokens');
    mkdirSync(dir, { mode: 0o700 });
    const target = path.join(cwd, 'precious.txt');
    writeFileSync(target, 'do not overwrite me\n', { mode: 0o644 });
    symlinkSync(target, path.join(dir, 'ingress.json'));
    const before = idp.tokenRequests().length;

    const result = await runCli(['--ingress-only'], { cwd, env: env() });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('symbolic link');
    expect(result.stderr).toContain('remove the link');
    expect(readFileSync(target, 'utf8')).toBe('do not overwrite me\n');
    expect(modeOf(target)).toBe(0o644);
    expect(lstatSync(path.join(dir, 'ingress.json')).isSymbolicLink()).toBe(true);
    expect(idp.tokenRequests().length).toBe(before);
  });

  it('refuses a symbolic link planted at a rendered configuration', async () => {
    const cwd = makeWorkdir();
    const dir = path.join(cwd, '.oauth-tokens');
    mkdirSync(dir, { mode: 0o700 });
    const target = path.join(cwd, 'settings.json');
    writeFileSync(target, '{}\n');
    symlinkSync(target, path.join(dir, 'mcp.json'));
    const result = await runCli(['--ingress-only', '--json'], { cwd, env: env() });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).steps.find((s: { step: string }) => s.step === 'render')).toMatchObject({ status: 'failed' });
    expect(readFileSync(target, 'utf8')).toBe('{}\n');
  });

  it('narrows a looser existing directory to 700, with a warning', async () => {
    const cwd = makeWorkdir();
    const dir = path.join(cwd, '.oauth-tokens');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const result = await runCli(['--ingress-only'], { cwd, env: env() });
    expect(result.code).toBe(0);
    expect(modeOf(dir)).toBe(0o700);
    expect(result.stderr).toMatch(/warning: .*mode 755.*narrowed to 700/);
  });

  it('does not trust a token file others can read (exit 1, naming it and the fix); once removed, a 600 one is written', async () => {
    const cwd = makeWorkdir();
    const dir = path.join(cwd, '.oauth-tokens');
    mkdirSync(dir, { mode: 0o700 });
    writeFileSync(path.join(dir, 'ingress.json'), '{}', { mode: 0o644 });
    chmodSync(path.join(dir, 'ingress.json'), 0o644);
    const refused = await runCli(['--ingress-only'], { cwd, env: env() });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`${path.join(dir, 'ingress.json')} can be read or written by others (mode 644)`);
    expect(refused.stderr).toContain(`chmod 600 ${path.join(dir, 'ingress.json')}`);
    rmSync(path.join(dir, 'ingress.json'));
    expect((await runCli(['--ingress-only'], { cwd, env: env() })).code).toBe(0);
    expect(modeOf(path.join(dir, 'ingress.json'))).toBe(0o600);
  });

  it('lets four concurrent runs leave one valid file, with one token request between them', async () => {
    const cwd = makeWorkdir();
    const before = idp.tokenRequests().length;
    const results = await Promise.all([1, 2, 3, 4].map(() => runCli(['--ingress-only', '--json'], { cwd, env: env() })));
    for (const result of results) expect(result.code).toBe(0);
    const statuses = results.map((result) => JSON.parse(result.stdout).steps[0].status).sort();
    expect(statuses).toEqual(['cached', 'cached', 'cached', 'ok']);
    expect(idp.tokenRequests().length - before).toBe(1);
    const dir = path.join(cwd, '.oauth-tokens');
    const record = readJson(path.join(dir, 'ingress.json'));
    expect(record.access_token).toBeTruthy();
    // No temporary or lock file is left behind.
    expect(readdirSync(dir).sort()).toEqual(['claude_mcp.json', 'ingress.json', 'mcp.json', 'vscode_mcp.json']);
    for (const result of results) expectNoSecrets(result, [SECRET, record.access_token]);
  });

  it('lets four concurrent --force runs each write a whole file', async () => {
    const cwd = makeWorkdir();
    const results = await Promise.all([1, 2, 3, 4].map(() => runCli(['--ingress-only', '--force'], { cwd, env: env() })));
    for (const result of results) expect(result.code).toBe(0);
    const record = readJson(path.join(cwd, '.oauth-tokens', 'ingress.json'));
    expect(record.provider).toBe('keycloak_m2m');
  });
});
