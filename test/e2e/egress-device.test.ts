import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signInOverHttp } from '../drivers/http-browser.js';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { runCli, startCli } from '../helpers/run-cli.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort, startFaultServer } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

let idp: LocalIdp;
let shortCodes: LocalIdp;
const client = {
  clientId: 'egress-app',
  redirectUris: ['http://127.0.0.1/callback'],
  grantTypes: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
};

beforeAll(async () => {
  idp = await startLocalIdp({ shape: 'keycloak', scopes: ATLASSIAN_SCOPES, clients: [client] });
  shortCodes = await startLocalIdp({ shape: 'keycloak', scopes: ATLASSIAN_SCOPES, deviceCodeTtl: 2, clients: [client] });
});
afterAll(async () => {
  await idp.close();
  await shortCodes.close();
});

/** A provider with a device endpoint (`localdevice`), its device endpoint where the test says. */
function writeDeviceProvider(
  dir: string,
  server: LocalIdp,
  deviceUrl = `${server.issuer}/protocol/openid-connect/auth/device`,
  tokenUrl = `${server.issuer}/protocol/openid-connect/token`,
): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'localdevice.yaml'),
    `display_name: Local device IdP
auth_url: ${server.issuer}/protocol/openid-connect/auth
token_url: ${tokenUrl}
device_authorization_url: ${deviceUrl}
scopes: [offline_access, read:jira-work]
`,
  );
}

async function setup(server: LocalIdp = idp): Promise<{ cwd: string; port: number; env: Record<string, string> }> {
  const cwd = makeWorkdir('mcpgw-device-');
  writeLocalProviders(path.join(cwd, 'providers'), server);
  writeDeviceProvider(path.join(cwd, 'providers'), server);
  const port = await closedPort();
  return {
    cwd,
    port,
    env: { MCPGW_PROVIDERS_DIR: 'providers', REGISTRY_URL: 'https://gateway.example.com', ...egressSet(1, 'localdevice', port) },
  };
}

describe('egress: the device flow', () => {
  it('is chosen by itself when no browser can be opened and the provider offers it; not confirmed in time → exit 5', async () => {
    const { cwd, env } = await setup();
    const result = await runCli(['--egress-only', '--timeout', '2'], { cwd, env });
    expect(result.code).toBe(5);
    expect(result.ms).toBeLessThan(4_500);
    expect(result.stderr).toMatch(
      /Sign in to Local device IdP for the server localdevice on any device: open\n\n\s+http:\/\/127\.0\.0\.1:\d+\/realms\/mcp-gateway\/device\?user_code=/,
    );
    expect(result.stderr).toMatch(/the code [A-Z-]+ \(within 1 min\)/);
    expect(result.stderr).toContain('was not confirmed within 2 s');
  });

  it('exits 3 with expired_token when the code expires before it is confirmed', async () => {
    const { cwd, env } = await setup(shortCodes);
    const result = await runCli(['--egress-only', '--device'], { cwd, env, timeoutMs: 30_000 });
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('expired_token');
    expect(result.stderr).toContain('confirm the new code in time');
  });

  it('waits 5 s longer after slow_down, and completes', async () => {
    // Slow-down on demand is a fault a real server will not produce: a scripted server plays the provider.
    const device = {
      device_code: 'dc-1',
      user_code: 'ABCD-EFGH',
      verification_uri: 'https://idp.example.com/device',
      expires_in: 60,
      interval: 1,
    };
    const fault = await startFaultServer([
      { kind: 'status', status: 200, contentType: 'application/json', body: JSON.stringify(device) },
      { kind: 'status', status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'slow_down' }) },
      { kind: 'status', status: 400, contentType: 'application/json', body: JSON.stringify({ error: 'authorization_pending' }) },
      {
        kind: 'status',
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({ access_token: 'device-access-token-0123456789', token_type: 'Bearer', expires_in: 3600 }),
      },
    ]);
    try {
      const { cwd, env } = await setup();
      writeDeviceProvider(path.join(cwd, 'providers'), idp, `${fault.url}/device`, `${fault.url}/token`);
      const result = await runCli(['--egress-only', '--device', '--json'], { cwd, env, timeoutMs: 40_000 });
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).steps[0]).toMatchObject({ status: 'ok', via: 'device' });
      expect(result.stderr).toContain('enter the code ABCD-EFGH');
      expect(fault.hits).toBe(4);
      const [, slowDown, pending] = fault.times as [number, number, number];
      expect(pending - slowDown).toBeGreaterThanOrEqual(5_900);
      expect(readJson(path.join(cwd, '.oauth-tokens', 'localdevice-egress.json')).access_token).toBe('device-access-token-0123456789');
    } finally {
      await fault.close();
    }
  });

  it('falls back to the browser sign-in when the provider refuses the device flow for this client', async () => {
    const fault = await startFaultServer([
      {
        kind: 'status',
        status: 400,
        contentType: 'application/json',
        body: JSON.stringify({ error: 'unauthorized_client', error_description: 'device flow not enabled' }),
      },
    ]);
    try {
      const { cwd, port, env } = await setup();
      writeDeviceProvider(path.join(cwd, 'providers'), idp, `${fault.url}/device`);
      const cli = startCli(['--egress-only', '--json'], { cwd, env });
      await cli.waitForStderr(/refused the device flow for this client \(unauthorized_client\); using the browser sign-in/);
      await signInOverHttp(await cli.authorizationUrl(), { callbackOrigin: `http://127.0.0.1:${port}` });
      const result = await cli.done;
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).steps[0]).toMatchObject({ status: 'ok', via: 'browser' });
    } finally {
      await fault.close();
    }
  });

  it('never uses it with --no-device', async () => {
    const { cwd, env } = await setup();
    const result = await runCli(['--egress-only', '--no-device', '--timeout', '1'], { cwd, env });
    expect(result.code).toBe(5);
    expect(result.stderr).toContain('Sign in to Local device IdP for the server localdevice at:');
    expect(result.stderr).not.toContain('on any device');
  });

  it('refuses --device for a provider without a device endpoint (exit 2), and allows it in CI', async () => {
    const { cwd, env } = await setup();
    const refused = await runCli(['--egress-only', '--device'], { cwd, env: { ...env, ...egressSet(1, 'localidp', 1) } });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('offers no device flow');
    const ci = await runCli(['--egress-only', '--device', '--timeout', '1'], { cwd, env: { ...env, CI: 'true' } });
    expect(ci.code).toBe(5);
    expect(ci.stderr).toContain('on any device');
  });
});
