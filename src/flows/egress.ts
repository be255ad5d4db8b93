import type { EgressSet } from '../config/types.js';
import { BrowserTimeoutError, FlowError, OAuthError } from '../errors.js';
import { refreshEgressToken, type EgressClient } from '../oauth/authorization-code.js';
import type { TokenAnswer } from '../oauth/token-answer.js';
import type { Browser, Clock, Log, Terminal } from '../ports.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { egressFile } from '../store/layout.js';
import { asTokenRecord, type TokenRecord } from '../store/records.js';
import type { TokenStore } from '../store/token-store.js';
import { chooseSite, fetchSites } from './atlassian-site.js';
import { browserLogin, type LoginUi } from './browser-login.js';
import type { TokenOptions } from './client-credentials-flow.js';
import { deviceLogin } from './device-login.js';
import { epochSeconds, isRenewalDue } from './freshness.js';
import { tokenRecord } from './token-record.js';

export interface EgressDeps {
  store: TokenStore;
  clock: Clock;
  log: Log;
  fetch: typeof fetch;
  /** The system browser; undefined where none may be opened (CI, no display). */
  browser: Browser | undefined;
  /** The terminal; undefined when no person can answer. */
  terminal: Terminal | undefined;
  /** CI is set: no browser sign-in can complete here. */
  ci: boolean;
}

export interface EgressOptions extends TokenOptions {
  /** May start a new sign-in (browser or device); `refresh`, `token` and `headers` may not. */
  signIn: boolean;
  /** Open the browser where one can be opened (false with --no-browser: the URL is only printed). */
  openBrowser: boolean;
  /**
   * The device flow (RFC 8628): `explicit` (--device), `auto` (when no browser can be opened and the
   * provider offers it), or `off`.
   */
  device: 'explicit' | 'auto' | 'off';
  browserTimeoutMs: number;
  httpTimeoutMs: number;
}

export interface EgressResult {
  status: 'ok' | 'cached';
  via: 'cache' | 'refresh' | 'browser' | 'device';
  file: string;
  record: TokenRecord;
}

/**
 * Obtains an egress token for one set. Steps:
 * 1. reuse the stored token when it was issued to this client and is not due for renewal (not with
 *    `force`);
 * 2. else refresh it with its refresh token, without a browser, under the file's lock (a rotated
 *    refresh token is saved atomically); `invalid_grant` means "sign in again": in the browser when
 *    a person is at the terminal and a sign-in is allowed, else exit 3 saying so;
 * 3. else sign in (never in CI without --device: exit 5 at once);
 * 4. for Atlassian, look up the site (cloud id) the token is for; save.
 */
export async function obtainEgressToken(
  deps: EgressDeps,
  set: EgressSet,
  provider: ResolvedProvider,
  options: EgressOptions,
): Promise<EgressResult> {
  const file = egressFile(set.provider, set.server);
  const client = egressClient(deps, set, provider, options.httpTimeoutMs);
  const fresh = (record: TokenRecord): boolean => !isRenewalDue(record, epochSeconds(deps.clock), options.marginSeconds);
  const stored = asTokenRecord(await deps.store.readJson(file));
  const ours = stored && stored.client_id === set.clientId ? stored : undefined;

  if (ours && !options.force && fresh(ours)) {
    if (provider.cloudIdUrl && ours.cloud_id === undefined) return save(deps, set, provider, file, ours, 'cached', options);
    return { status: 'cached', via: 'cache', file: deps.store.pathOf(file), record: ours };
  }

  if (ours?.refresh_token && (!options.force || !options.signIn)) {
    try {
      return await deps.store.withLock(file, async () => {
        // Another run may have refreshed (and rotated) it meanwhile: use what is there now.
        const current = asTokenRecord(await deps.store.readJson(file)) ?? ours;
        if (!options.force && current.client_id === set.clientId && fresh(current)) {
          return { status: 'cached' as const, via: 'cache' as const, file: deps.store.pathOf(file), record: current };
        }
        const answer = await refreshEgressToken(client, current.refresh_token ?? (ours.refresh_token as string));
        // A provider that does not rotate refresh tokens sends none back: keep the one we have.
        const record = build(
          deps,
          set,
          provider,
          { ...answer, refresh_token: answer.refresh_token ?? current.refresh_token },
          siteFields(current),
        );
        return { status: 'ok' as const, via: 'refresh' as const, file: await deps.store.writeJson(file, record), record };
      });
    } catch (error) {
      if (!(error instanceof OAuthError && error.code === 'invalid_grant')) throw error;
      if (!deps.terminal || !options.signIn) {
        error.hint = `the refresh token is no longer valid: sign in again on a terminal, with mcpgw-creds --egress-only --provider ${set.provider}`;
        throw error;
      }
      deps.log.warn(`${set.server}: the refresh token was refused (invalid_grant); signing in again`);
    }
  }

  if (!options.signIn) {
    throw new FlowError(
      'sign_in_required',
      `${set.server}: ${ours ? 'the token expires and there is no refresh token' : 'no token yet'}; a sign-in is needed`,
      `sign in with mcpgw-creds --egress-only --provider ${set.provider}`,
    );
  }
  const { answer, via } = await signIn(deps, set, provider, client, options);
  return save(deps, set, provider, file, build(deps, set, provider, answer, {}), 'ok', options, via);
}

/** How a sign-in reaches the person: the log, the browser where allowed, the terminal where present. */
function loginUi(deps: EgressDeps, options: EgressOptions): LoginUi {
  const { log, browser, terminal } = deps;
  if (options.openBrowser && !browser && !deps.ci)
    log.detail('no display (DISPLAY, WAYLAND_DISPLAY or BROWSER): the browser is not opened');
  return {
    info: (message) => log.info(message),
    notice: (message) => log.notice(message),
    warn: (message) => log.warn(message),
    detail: (message) => log.detail(message),
    openBrowser: options.openBrowser && browser ? (url) => browser.open(url) : undefined,
    lines: terminal ? (question, signal) => terminal.lines(question, signal) : undefined,
  };
}

/**
 * A new sign-in: the device flow when asked for (--device), or chosen by itself when no browser can
 * be opened here and the provider offers it (falling back to the browser flow if the provider
 * refuses it for this client); else the browser flow. In CI only --device can complete.
 */
async function signIn(
  deps: EgressDeps,
  set: EgressSet,
  provider: ResolvedProvider,
  client: EgressClient,
  options: EgressOptions,
): Promise<{ answer: TokenAnswer; via: 'browser' | 'device' }> {
  const ui = loginUi(deps, options);
  const offersDevice = provider.deviceAuthorizationEndpoint !== undefined;
  if (options.device === 'explicit') return { answer: await deviceLogin(client, set, ui, options.browserTimeoutMs), via: 'device' };
  if (deps.ci) {
    throw new BrowserTimeoutError(
      `${set.server}: a browser sign-in to ${set.provider} is needed, and none can complete in CI (CI is set)`,
      `sign in once on a workstation (mcpgw-creds --egress-only --provider ${set.provider})${offersDevice ? ', use --device and confirm the code from another device,' : ''} or give this job a token file with a refresh token`,
    );
  }
  if (options.device === 'auto' && offersDevice && !ui.openBrowser) {
    try {
      return { answer: await deviceLogin(client, set, ui, options.browserTimeoutMs), via: 'device' };
    } catch (error) {
      const refusedHere =
        error instanceof OAuthError &&
        ['unauthorized_client', 'invalid_client', 'invalid_request', 'unsupported_grant_type'].includes(error.code);
      if (!refusedHere) throw error;
      deps.log.warn(`${set.server}: ${set.provider} refused the device flow for this client (${error.code}); using the browser sign-in`);
    }
  }
  return { answer: await browserLogin(client, set, ui, options.browserTimeoutMs), via: 'browser' };
}

/** The OAuth client of one egress set (also used to revoke its tokens). */
export function egressClient(
  deps: { fetch: typeof fetch; log: Pick<Log, 'detail'> },
  set: EgressSet,
  provider: ResolvedProvider,
  httpTimeoutMs: number,
): EgressClient {
  return {
    provider,
    clientId: set.clientId,
    clientSecret: set.clientSecret,
    redirectUri: set.redirectUri.href,
    fetch: deps.fetch,
    timeoutMs: httpTimeoutMs,
    log: (line) => deps.log.detail(line),
    origin: {
      clientId: `EGRESS_OAUTH_CLIENT_ID_${set.index}`,
      clientSecret: `EGRESS_OAUTH_CLIENT_SECRET_${set.index}`,
      scope: `EGRESS_OAUTH_SCOPE_${set.index}`,
      url: `the ${provider.definition.name} provider definition (${provider.definition.file})`,
    },
  };
}

function build(
  deps: EgressDeps,
  set: EgressSet,
  provider: ResolvedProvider,
  answer: TokenAnswer,
  tail: Record<string, unknown>,
): TokenRecord {
  return tokenRecord({
    head: { provider: set.provider, server: set.server },
    clientId: set.clientId,
    answer,
    savedAt: epochSeconds(deps.clock),
    tail,
    ...(provider.definition.token_lifetime !== undefined ? { lifetime: provider.definition.token_lifetime } : {}),
  });
}

function siteFields(record: TokenRecord): Record<string, unknown> {
  return record.cloud_id === undefined
    ? {}
    : { cloud_id: record.cloud_id, ...(record.site_url === undefined ? {} : { site_url: record.site_url }) };
}

/**
 * Writes the record; for a provider with a `cloud_id_url` (Atlassian), then looks the site up. The
 * token is saved before that lookup, so a failed lookup costs a retry, not a sign-in.
 */
async function save(
  deps: EgressDeps,
  set: EgressSet,
  provider: ResolvedProvider,
  file: string,
  record: TokenRecord,
  status: 'ok' | 'cached',
  options: EgressOptions,
  via: EgressResult['via'] = 'cache',
): Promise<EgressResult> {
  const write = (value: TokenRecord): Promise<string> => deps.store.withLock(file, () => deps.store.writeJson(file, value));
  const path = status === 'ok' ? await write(record) : deps.store.pathOf(file);
  if (!provider.cloudIdUrl) return { status, via, file: path, record };
  const sites = await fetchSites(provider.cloudIdUrl, record.access_token, {
    fetch: deps.fetch,
    timeoutMs: options.httpTimeoutMs,
    log: (line) => deps.log.detail(line),
  });
  const terminal = deps.terminal;
  const site = await chooseSite(sites, {
    wanted: set.atlassianSite,
    variable: `EGRESS_ATLASSIAN_SITE_${set.index}`,
    choose: terminal ? (question, choices) => terminal.choose(question, choices) : undefined,
    warn: (message) => deps.log.warn(`${set.server}: ${message}`),
  });
  if (!site) return { status, via, file: path, record };
  const withSite: TokenRecord = { ...record, cloud_id: site.id, site_url: site.url };
  return { status, via, file: await write(withSite), record: withSite };
}
