import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO } from '../helpers/run-cli.js';

const CHROMIUM = process.env.MCPGW_TEST_CHROMIUM ?? '/usr/bin/chromium';
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Browser tests never skip: a missing Chromium fails them, and ./scripts/test.sh installs it. */
export function requireChromium(): void {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium is missing at ${CHROMIUM}: run ./scripts/test.sh, which installs it (apt-get install chromium)`);
}

/** The environment that makes the CLI's system opener start the test's Chromium (no display: xdg-open uses $BROWSER). */
export function cliBrowserEnv(profile: string, cdpPort: number): Record<string, string> {
  return {
    BROWSER: path.join(REPO, 'test/drivers/chromium-browser.sh'),
    MCPGW_TEST_CHROMIUM: CHROMIUM,
    MCPGW_TEST_CHROMIUM_PROFILE: profile,
    MCPGW_TEST_CDP_PORT: String(cdpPort),
  };
}

/** Attaches to the Chromium the CLI started, and returns its first page. */
export async function attachToCliChromium(cdpPort: number, timeoutMs = 30_000): Promise<{ browser: Browser; page: Page }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const browser = await chromium.connectOverCDP(`http://127.0.0.1:${cdpPort}`);
      const context = browser.contexts()[0];
      if (!context) throw new Error('Chromium has no browser context');
      const page = context.pages()[0] ?? (await context.waitForEvent('page'));
      return { browser, page };
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

/** Stops the Chromium the CLI started (its launcher wrote the PID), and waits until it is gone. */
export async function stopCliChromium(profile: string): Promise<void> {
  const file = path.join(profile, 'chromium.pid');
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8'));
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

/** A headless Chromium the test drives itself (the device flow's "other device"). */
export async function launchChromium(): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}
