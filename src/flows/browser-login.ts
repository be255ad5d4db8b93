import { failurePage, successPage } from '../callback/pages.js';
import { startLoopbackServer, type AcceptedCallback } from '../callback/loopback-server.js';
import type { EgressSet } from '../config/types.js';
import { BrowserTimeoutError, McpgwError, OAuthError } from '../errors.js';
import { exchangeCode, startAuthorization, type EgressClient } from '../oauth/authorization-code.js';
import type { TokenAnswer } from '../oauth/token-answer.js';

/** How a sign-in reaches the person: built by the CLI from the terminal, the flags and the environment. */
export interface LoginUi {
  info(message: string): void;
  /** At every verbosity: where to sign in. */
  notice(message: string): void;
  warn(message: string): void;
  detail(message: string): void;
  /** Opens the system browser; undefined where none may be opened (CI, no display, --no-browser). */
  openBrowser: ((url: string) => Promise<void>) | undefined;
  /** Lines typed on the terminal; undefined when no person can answer. */
  lines: ((question: string, signal: AbortSignal) => AsyncIterable<string>) | undefined;
}

/**
 * A browser sign-in. Steps:
 * 1. a fresh `state` and PKCE verifier, and the authorization URL;
 * 2. bind the loopback listener, before anything can be sent to it;
 * 3. print the URL (always), open the browser where allowed; where no browser was opened and a
 *    person is at the terminal, also accept the final redirect URL pasted from another machine;
 * 4. wait for the first callback with the right `state` (forged ones are answered 400 and ignored),
 *    or give up after `timeoutMs` (exit 5);
 * 5. exchange the code (issuer, error and PKCE checks), then tell the browser how it went.
 */
export async function browserLogin(client: EgressClient, set: EgressSet, ui: LoginUi, timeoutMs: number): Promise<TokenAnswer> {
  const name = client.provider.definition.display_name ?? client.provider.definition.name;
  const pending = await startAuthorization(client);
  const server = await startLoopbackServer({
    redirectUri: set.redirectUri,
    expectedState: pending.state,
    variable: `EGRESS_OAUTH_REDIRECT_URI_${set.index}`,
    onIgnored: (reason) => ui.warn(`${set.server}: ignored ${reason}`),
  });
  const waiting = new AbortController();
  const timer = setTimeout(() => waiting.abort(), timeoutMs);
  try {
    ui.notice(`Sign in to ${name} for the server ${set.server} at:\n\n  ${pending.url.href}\n`);
    let opened = false;
    if (ui.openBrowser) {
      try {
        await ui.openBrowser(pending.url.href);
        opened = true;
        ui.info(`Opened your browser; waiting for the sign-in (up to ${Math.round(timeoutMs / 1000)} s).`);
      } catch (error) {
        ui.warn(`could not open a browser (${error instanceof Error ? error.message : String(error)}): open the URL above yourself`);
      }
    }
    if (!opened && ui.lines) {
      ui.info(
        `Open it in a browser. If that browser is on another machine, the last page will not load: ` +
          `copy its address (it starts with ${set.redirectUri.origin}${set.redirectUri.pathname}) and paste it here.`,
      );
      void pasteLoop(ui, (pasted) => server.submit(pasted), waiting.signal);
    } else if (!opened) {
      ui.info(`Waiting for the sign-in (up to ${Math.round(timeoutMs / 1000)} s).`);
    }

    const callback = await new Promise<AcceptedCallback>((resolve, reject) => {
      void server.accepted.then(resolve);
      // Once a callback has resolved this promise, the abort below rejects nothing.
      waiting.signal.addEventListener(
        'abort',
        () =>
          reject(
            new BrowserTimeoutError(
              `no sign-in to ${name} arrived within ${Math.round(timeoutMs / 1000)} s`,
              'run again and finish the sign-in in the browser, or allow more time with --timeout SECONDS',
            ),
          ),
        { once: true },
      );
    });
    waiting.abort();
    try {
      const answer = await exchangeCode(client, pending.config, callback.url, pending);
      callback.respond(successPage(name));
      return answer;
    } catch (error) {
      const oauth = error instanceof OAuthError;
      callback.respond(
        failurePage(
          name,
          oauth ? error.code : 'error',
          oauth ? error.description : error instanceof McpgwError ? error.message : 'the sign-in could not be completed',
        ),
      );
      throw error;
    }
  } finally {
    clearTimeout(timer);
    waiting.abort();
    await server.close();
  }
}

async function pasteLoop(ui: LoginUi, submit: (pasted: string) => string | undefined, signal: AbortSignal): Promise<void> {
  if (!ui.lines) return;
  for await (const line of ui.lines('Redirect URL (or wait for the browser): ', signal)) {
    const refused = submit(line);
    if (refused === undefined) return;
    ui.warn(`that address was not taken: ${refused}`);
  }
}
