import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachToCliChromium, cliBrowserEnv, requireChromium, stopCliChromium } from '../drivers/chromium.js';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { startCli } from '../helpers/run-cli.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

let idp: LocalIdp;

beforeAll(async () => {
  requireChromium();
  idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ATLASSIAN_SCOPES,
    users: [{ username: 'alice', password: 'correct horse battery staple' }],
    clients: [{ clientId: 'egress-app', redirectUris: ['http://127.0.0.1/callback'], grantTypes: ['authorization_code', 'refresh_token'] }],
  });
});
afterAll(() => idp.close());

describe('egress in a real browser', () => {
  it('the CLI opens Chromium through the system opener; Chromium signs in on the login page and lands on the success page', async () => {
    const cwd = makeWorkdir('mcpgw-chromium-');
    writeLocalProviders(path.join(cwd, 'providers'), idp);
    const [callbackPort, cdpPort] = [await closedPort(), await closedPort()];
    const profile = makeWorkdir('mcpgw-chromium-profile-');
    const cli = startCli(['--egress-only', '--json'], {
      cwd,
      timeoutMs: 90_000,
      env: {
        MCPGW_PROVIDERS_DIR: 'providers',
        REGISTRY_URL: 'https://gateway.example.com',
        ...egressSet(1, 'localidp', callbackPort),
        // No display: xdg-open hands the URL to $BROWSER, here the test's headless Chromium.
        ...cliBrowserEnv(profile, cdpPort),
      },
    });
    await cli.waitForStderr(/Opened your browser/);
    const { browser, page } = await attachToCliChromium(cdpPort);
    try {
      await page.waitForSelector('#kc-login', { timeout: 30_000 });
      expect(page.url()).toContain(`${idp.issuer}/`);
      await page.fill('#username', 'alice');
      await page.fill('#password', 'correct horse battery staple');
      await Promise.all([page.waitForURL(`http://127.0.0.1:${callbackPort}/callback?**`, { timeout: 30_000 }), page.click('#kc-login')]);
      const heading = page.locator('#result');
      await heading.waitFor({ timeout: 30_000 });
      expect(await heading.getAttribute('data-ok')).toBe('true');
      expect(await heading.textContent()).toBe('Signed in to Local IdP');
      expect(await page.textContent('body')).toContain('You can close this tab');

      const result = await cli.done;
      expect(result.code).toBe(0);
      expect(JSON.parse(result.stdout).steps[0]).toMatchObject({ step: 'egress', status: 'ok', via: 'browser' });
      expect(readJson(path.join(cwd, '.oauth-tokens', 'localidp-egress.json')).access_token).toBeTruthy();
    } finally {
      await browser.close().catch(() => undefined);
      await stopCliChromium(profile);
    }
  });
});
