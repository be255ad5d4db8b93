import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATLASSIAN_SCOPES, egressSet, writeLocalProviders } from '../helpers/egress-fixture.js';
import { REPO, startCli } from '../helpers/run-cli.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { closedPort } from '../servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const CHROMIUM = process.env.MCPGW_TEST_CHROMIUM ?? '/usr/bin/chromium';
let idp: LocalIdp;

beforeAll(async () => {
  // Never skipped: a missing Chromium fails the suite, and ./scripts/test.sh installs it.
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium is missing at ${CHROMIUM}: run ./scripts/test.sh, which installs it (apt-get install chromium)`);
  idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ATLASSIAN_SCOPES,
    users: [{ username: 'alice', password: 'correct horse battery staple' }],
    clients: [{ clientId: 'egress-app', redirectUris: ['http://127.0.0.1/callback'], grantTypes: ['authorization_code', 'refresh_token'] }],
  });
});
afterAll(() => idp.close());

async function attach(port: number, timeoutMs = 30_000): Promise<Browser> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await chromium.connectOverCDP(`http://127.0.0.1:${port}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Stops the Chromium the CLI started (its launcher wrote the PID), and waits until it is gone. */
async function stopChromium(profile: string): Promise<void> {
  const pid = Number(readFileSync(path.join(profile, 'chromium.pid'), 'utf8'));
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 50; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  process.kill(pid, 'SIGKILL');
}

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
        BROWSER: path.join(REPO, 'test/drivers/chromium-browser.sh'),
        MCPGW_TEST_CHROMIUM: CHROMIUM,
        MCPGW_TEST_CHROMIUM_PROFILE: profile,
        MCPGW_TEST_CDP_PORT: String(cdpPort),
      },
    });
    await cli.waitForStderr(/Opened your browser/);
    const browser = await attach(cdpPort);
    try {
      const context = browser.contexts()[0];
      if (!context) throw new Error('Chromium has no browser context');
      const page = context.pages()[0] ?? (await context.waitForEvent('page'));
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
      await stopChromium(profile);
    }
  });
});
