import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../drivers/http-browser.js';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { startCliInPty } from '../helpers/pty.js';
import { startCli } from '../helpers/run-cli.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

let idp: LocalIdp;
beforeAll(async () => {
  idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ATLASSIAN_SCOPES,
    sites: [
      { id: 'cloud-a', name: 'Alpha', url: 'https://alpha.atlassian.net' },
      { id: 'cloud-b', name: 'Beta', url: 'https://beta.atlassian.net' },
    ],
    clients: [{ clientId: 'egress-app', redirectUris: ['http://127.0.0.1/callback'], grantTypes: ['authorization_code', 'refresh_token'] }],
  });
});
afterAll(() => idp.close());

async function setup(): Promise<{ cwd: string; port: number; env: Record<string, string> }> {
  const cwd = makeWorkdir('mcpgw-tty-');
  writeLocalProviders(path.join(cwd, 'providers'), idp);
  const port = await closedPort();
  return {
    cwd,
    port,
    env: { MCPGW_PROVIDERS_DIR: 'providers', REGISTRY_URL: 'https://gateway.example.com', ...egressSet(1, 'localidp', port) },
  };
}

const urlOnTerminal = /^\s+(http:\/\/127\.0\.0\.1:\d+\/realms\/\S+)$/m;

describe('egress on a terminal', () => {
  it('with --no-browser, takes the final redirect URL pasted from another machine, with the same checks', async () => {
    const { cwd, port, env } = await setup();
    const cli = startCliInPty(['--egress-only', '--no-browser'], { cwd, env });
    const url = (await cli.waitFor(urlOnTerminal))[1] as string;
    await cli.waitFor(/paste it here/);
    await cli.waitFor(/Redirect URL \(or wait for the browser\): /);
    // The browser on the other machine signs in; its last page (the loopback callback) never loads there.
    const signIn = await signInOverHttp(url, { callbackOrigin: `http://127.0.0.1:${port}`, stopBeforeCallback: true });
    const forged = new URL(signIn.callbackUrl);
    forged.searchParams.set('state', 'somebody-elses-state');
    cli.type(`${forged.href}\n`);
    await cli.waitFor(/that address was not taken: its state does not match this sign-in/);
    cli.type('http://127.0.0.1:1/elsewhere?code=x\n');
    await cli.waitFor(/that is not the redirect URI/);
    cli.type(`${signIn.callbackUrl}\n`);
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(result.output).toContain('egress localidp: new token');
    expect(readJson(path.join(cwd, '.oauth-tokens', 'localidp-egress.json')).access_token).toBeTruthy();
  });

  it('signs in again in the browser when the refresh token is refused (invalid_grant)', async () => {
    const { cwd, port, env } = await setup();
    const first = startCli(['--egress-only'], { cwd, env });
    await signInOverHttp(await first.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
    expect((await first.done).code).toBe(0);
    const file = path.join(cwd, '.oauth-tokens', 'localidp-egress.json');
    const record = readJson(file);
    writeFileSync(
      file,
      JSON.stringify({ ...record, expires_at: Math.floor(Date.now() / 1000), refresh_token: 'refused-refresh-token-0123' }),
      { mode: 0o600 },
    );

    const cli = startCliInPty(['--egress-only', '--no-browser'], { cwd, env });
    await cli.waitFor(/the refresh token was refused \(invalid_grant\); signing in again/);
    const url = (await cli.waitFor(urlOnTerminal))[1] as string;
    const signIn = await signInOverHttp(url, { callbackOrigin: `http://127.0.0.1:${port}` });
    expect(signIn.status).toBe(200);
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(readJson(file).refresh_token).not.toBe('refused-refresh-token-0123');
  });

  it('asks which Atlassian site when the account has several', async () => {
    const { cwd, port } = await setup();
    const env = { MCPGW_PROVIDERS_DIR: 'providers', REGISTRY_URL: 'https://gateway.example.com', ...egressSet(1, 'atlassian', port) };
    const cli = startCliInPty(['--egress-only', '--no-browser'], { cwd, env });
    const url = (await cli.waitFor(urlOnTerminal))[1] as string;
    await signInOverHttp(url, { callbackOrigin: `http://127.0.0.1:${port}` });
    await cli.waitFor(/2\) Beta \(https:\/\/beta\.atlassian\.net\)/);
    await cli.waitFor(/Which Atlassian site\? \[1-2\]: /);
    cli.type('7\n');
    await cli.waitFor(/Type a number from 1 to 2/);
    cli.type('2\n');
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(readJson(path.join(cwd, '.oauth-tokens', 'atlassian-egress.json')).cloud_id).toBe('cloud-b');
  });
});
