import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { HttpBrowser, runInProcess, TestClock } from '../helpers/in-process.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

let idp: LocalIdp;

beforeAll(async () => {
  idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ATLASSIAN_SCOPES,
    clients: [
      {
        clientId: 'egress-app',
        redirectUris: ['http://127.0.0.1/callback'],
        grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      },
    ],
  });
});
afterAll(() => idp.close());

interface Case {
  cwd: string;
  port: number;
  env: Record<string, string>;
  clock: TestClock;
  file: string;
}

/** A working directory with an egress set for `provider` (`localidp`, or `localdevice` with a device endpoint). */
async function fresh(provider: 'localidp' | 'localdevice' = 'localidp'): Promise<Case> {
  const cwd = makeWorkdir('mcpgw-decide-');
  const providers = writeLocalProviders(path.join(cwd, 'providers'), idp);
  mkdirSync(providers, { recursive: true });
  writeFileSync(
    path.join(providers, 'localdevice.yaml'),
    `auth_url: ${idp.issuer}/protocol/openid-connect/auth\ntoken_url: ${idp.issuer}/protocol/openid-connect/token\n` +
      `device_authorization_url: ${idp.issuer}/protocol/openid-connect/auth/device\nscopes: [offline_access, read:jira-work]\n`,
  );
  const port = await closedPort();
  return {
    cwd,
    port,
    env: { MCPGW_PROVIDERS_DIR: 'providers', ...egressSet(1, provider, port) },
    clock: new TestClock(),
    file: path.join(cwd, '.oauth-tokens', `${provider}-egress.json`),
  };
}

/** The same, signed in once through the browser port. */
async function signedIn(): Promise<Case> {
  const setup = await fresh();
  const browser = new HttpBrowser(`http://127.0.0.1:${setup.port}`);
  const result = await runInProcess(['--egress-only'], { cwd: setup.cwd, env: setup.env, clock: setup.clock, browser });
  expect(result.code, result.stderr).toBe(0);
  return setup;
}

function writeRecord(file: string, changes: Record<string, unknown>): void {
  writeFileSync(file, JSON.stringify({ ...readJson(file), ...changes }), { mode: 0o600 });
}

const steps = (stdout: string): Array<Record<string, unknown>> => JSON.parse(stdout).steps;
const tokenRequests = (): number => idp.tokenRequests().length;

describe('egress: which way a token comes (the decision table of flows/egress.ts)', () => {
  it('no token, a browser can be opened → browser sign-in', async () => {
    const c = await fresh();
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['--egress-only', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock, browser });
    expect(result.code).toBe(0);
    expect(steps(result.stdout)[0]).toMatchObject({ status: 'ok', via: 'browser' });
    expect(browser.opened).toHaveLength(1);
    expect((await browser.signIns[0])?.status).toBe(200);
  });

  it('no token, CI → exit 5 at once, nothing opened', async () => {
    const c = await fresh();
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['--egress-only'], { cwd: c.cwd, env: { ...c.env, CI: 'true' }, clock: c.clock, browser });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('none can complete in CI');
    expect(browser.opened).toHaveLength(0);
  });

  it('no token, CI, --device → the device flow', async () => {
    const c = await fresh('localdevice');
    const result = await runInProcess(['--egress-only', '--device', '--timeout', '1'], {
      cwd: c.cwd,
      env: { ...c.env, CI: 'true' },
      clock: c.clock,
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('on any device');
  });

  it('no token, no browser, the provider offers the device flow → the device flow by itself', async () => {
    const c = await fresh('localdevice');
    const result = await runInProcess(['--egress-only', '--timeout', '1'], { cwd: c.cwd, env: c.env, clock: c.clock, browser: null });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('on any device');
  });

  it('no token, no browser, --no-device → the browser flow, its URL printed', async () => {
    const c = await fresh('localdevice');
    const result = await runInProcess(['--egress-only', '--no-device', '--timeout', '1'], {
      cwd: c.cwd,
      env: c.env,
      clock: c.clock,
      browser: null,
    });
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/Sign in to localdevice for the server localdevice at:\n\n\s+http:\/\/127\.0\.0\.1/);
    expect(result.stderr).not.toContain('on any device');
  });

  it('--no-browser with a browser available → the URL only, nothing opened', async () => {
    const c = await fresh();
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['--egress-only', '--no-browser', '--timeout', '1'], {
      cwd: c.cwd,
      env: c.env,
      clock: c.clock,
      browser,
    });
    expect(result.code).toBe(5);
    expect(browser.opened).toHaveLength(0);
    expect(result.stderr).toContain('Sign in to Local IdP for the server localidp at:');
  });

  it('a fresh token → reused, no request', async () => {
    const c = await signedIn();
    const before = tokenRequests();
    c.clock.advance(600);
    const result = await runInProcess(['--egress-only', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock });
    expect(steps(result.stdout)[0]).toMatchObject({ status: 'cached', via: 'cache' });
    expect(tokenRequests()).toBe(before);
  });

  it('a due token with a refresh token → refreshed, the rotated refresh token saved', async () => {
    const c = await signedIn();
    const old = readJson(c.file);
    c.clock.advance(3400);
    const result = await runInProcess(['--egress-only', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock });
    expect(steps(result.stdout)[0]).toMatchObject({ status: 'ok', via: 'refresh' });
    expect(readJson(c.file).refresh_token).not.toBe(old.refresh_token);
  });

  it('a due token whose refresh token is refused, nobody at a terminal → exit 3, sign in again on a terminal', async () => {
    const c = await signedIn();
    writeRecord(c.file, { refresh_token: 'refused-refresh-token-000111' });
    c.clock.advance(3400);
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['--egress-only'], { cwd: c.cwd, env: c.env, clock: c.clock, browser });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('sign in again on a terminal');
    expect(browser.opened).toHaveLength(0);
  });

  it('a due token without a refresh token, main run → a new sign-in', async () => {
    const c = await signedIn();
    writeRecord(c.file, { refresh_token: undefined });
    c.clock.advance(3400);
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['--egress-only', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock, browser });
    expect(steps(result.stdout)[0]).toMatchObject({ status: 'ok', via: 'browser' });
  });

  it('--force on the main run → a new sign-in, even with a refresh token', async () => {
    const c = await signedIn();
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['--egress-only', '--force', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock, browser });
    expect(steps(result.stdout)[0]).toMatchObject({ status: 'ok', via: 'browser' });
  });

  it('a token issued to another client id → a new sign-in', async () => {
    const c = await signedIn();
    writeRecord(c.file, { client_id: 'someone-else' });
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['--egress-only', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock, browser });
    expect(steps(result.stdout)[0]).toMatchObject({ status: 'ok', via: 'browser' });
  });

  it('token --server: a due token without a refresh token → exit 1, a sign-in is needed (never one here)', async () => {
    const c = await signedIn();
    writeRecord(c.file, { refresh_token: undefined });
    c.clock.advance(3400);
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['token', '--server', 'localidp'], { cwd: c.cwd, env: c.env, clock: c.clock, browser });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('a sign-in is needed');
    expect(browser.opened).toHaveLength(0);
  });

  it('refresh --force → refreshed with the refresh token, never a sign-in', async () => {
    const c = await signedIn();
    const browser = new HttpBrowser(`http://127.0.0.1:${c.port}`);
    const result = await runInProcess(['refresh', '--force', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock, browser });
    expect(result.code).toBe(0);
    expect(steps(result.stdout)).toContainEqual(expect.objectContaining({ step: 'egress', status: 'ok', via: 'refresh' }));
    expect(browser.opened).toHaveLength(0);
  });

  it('refresh with a set never signed in → skipped, saying how to sign in', async () => {
    const c = await fresh();
    const result = await runInProcess(['refresh', '--json'], { cwd: c.cwd, env: c.env, clock: c.clock });
    expect(result.code).toBe(0);
    expect(steps(result.stdout)[0]).toMatchObject({
      step: 'egress',
      status: 'skipped',
      reason: 'not signed in yet: run mcpgw-creds --egress-only --provider localidp',
    });
  });
});
