import type { EgressSet } from '../config/types.js';
import { BrowserTimeoutError, FlowError, OAuthError } from '../errors.js';
import { refreshEgressToken, type EgressClient } from '../oauth/authorization-code.js';
import type { TokenAnswer } from '../oauth/client-credentials.js';
import type { Clock } from '../ports.js';
import type { ResolvedProvider } from '../providers/resolve.js';
import { asTokenRecord, egressFile, renewalMargin, REUSE_MARGIN_SECONDS, type TokenRecord } from '../store/records.js';
import type { TokenStore } from '../store/token-store.js';
import { chooseSite, fetchSites, type SiteChoice } from './atlassian-site.js';
import { browserLogin, type LoginUi } from './browser-login.js';
import { deviceLogin } from './device-login.js';
import type { TokenOptions } from './client-credentials-flow.js';
import { tokenRecord } from './token-record.js';

export interface EgressDeps {
  store: TokenStore;
  clock: Clock;
  onSecret: (value: string | undefined) => void;
  ui: LoginUi;
  /** A person is at the terminal (stdin and stderr are terminals, CI unset). */
  interactive: boolean;
  /** CI is set: no browser sign-in can complete here. */
  ci: boolean;
  httpTimeoutMs: number;
  browserTimeoutMs: number;
  chooseSite: SiteChoice['choose'];
  /**
   * The device flow (RFC 8628): `explicit` (--device), `auto` (when no browser can be opened and the
   * provider offers it), or `off`.
   */
  device: 'explicit' | 'auto' | 'off';
}

export interface EgressResult {
  status: 'ok' | 'cached';
  via: 'cache' | 'refresh' | 'browser' | 'device';
  file: string;
  record: TokenRecord;
}

/**
 * Obtains an egress token for one set (SPEC §6). Steps:
 * 1. reuse the stored token when it was issued to this client and stays valid for more than the
 *    margin (5 minutes unless told otherwise; not with `force`);
 * 2. else refresh it with its refresh token, without a browser, under the file's lock (a rotated
 *    refresh token is saved atomically); `invalid_grant` means "sign in again": in the browser when
 *    a person is at the terminal, else exit 3 saying so;
 * 3. else sign in in the browser (never in CI: exit 5 at once);
 * 4. for Atlassian, look up the site (cloud id) the token is for; save.
 */
export async function obtainEgressToken(
  deps: EgressDeps,
  set: EgressSet,
  provider: ResolvedProvider,
  options: TokenOptions & {
    /** May start a new sign-in (browser or device); `refresh`, `token` and `headers` may not. */
    signIn: boolean;
  },
): Promise<EgressResult> {
  const margin = options.marginSeconds ?? REUSE_MARGIN_SECONDS;
  const file = egressFile(set.provider, set.server);
  const client = egressClient(deps, set, provider);
  const now = (): number => Math.floor(deps.clock.now() / 1000);
  const stored = asTokenRecord(await deps.store.readJson(file));
  const ours = stored && stored.client_id === set.clientId ? stored : undefined;
  deps.onSecret(ours?.access_token);
  deps.onSecret(ours?.refresh_token);

  if (ours && !options.force && ours.expires_at - now() > renewalMargin(ours, margin, options.halfLife)) {
    if (provider.cloudIdUrl && ours.cloud_id === undefined) return save(deps, set, provider, file, ours, 'cached');
    return { status: 'cached', via: 'cache', file: deps.store.pathOf(file), record: ours };
  }

  if (ours?.refresh_token && (!options.force || !options.signIn)) {
    try {
      return await deps.store.withLock(file, async () => {
        // Another run may have refreshed (and rotated) it meanwhile: use what is there now.
        const current = asTokenRecord(await deps.store.readJson(file)) ?? ours;
        if (!options.force && current.client_id === set.clientId && current.expires_at - now() > renewalMargin(current, margin, options.halfLife)) {
          return { status: 'cached' as const, via: 'cache' as const, file: deps.store.pathOf(file), record: current };
        }
        const answer = await refreshEgressToken(client, current.refresh_token ?? (ours.refresh_token as string));
        deps.onSecret(answer.access_token);
        deps.onSecret(answer.refresh_token);
        // A provider that does not rotate refresh tokens sends none back: keep the one we have.
        const record = build(deps, set, provider, { ...answer, refresh_token: answer.refresh_token ?? current.refresh_token }, siteFields(current));
        return { status: 'ok' as const, via: 'refresh' as const, file: await deps.store.writeJson(file, record), record };
      });
    } catch (error) {
      if (!(error instanceof OAuthError && error.code === 'invalid_grant')) throw error;
      if (!deps.interactive || !options.signIn) {
        error.hint = `the refresh token is no longer valid: sign in again on a terminal, with mcpgw-creds --egress-only --provider ${set.provider}`;
        throw error;
      }
      deps.ui.warn(`${set.server}: the refresh token was refused (invalid_grant); signing in again`);
    }
  }

  if (!options.signIn) {
    throw new FlowError(
      'sign_in_required',
      `${set.server}: ${ours ? 'the token expires and there is no refresh token' : 'no token yet'}; a sign-in is needed`,
      `sign in with mcpgw-creds --egress-only --provider ${set.provider}`,
    );
  }
  const { answer, via } = await signIn(deps, set, provider, client);
  deps.onSecret(answer.access_token);
  deps.onSecret(answer.refresh_token);
  return save(deps, set, provider, file, build(deps, set, provider, answer, {}), 'ok', via);
}

/**
 * A new sign-in: the device flow when asked for (--device), or chosen by itself when no browser can
 * be opened here and the provider offers it (falling back to the browser flow if the provider
 * refuses it for this client); else the browser flow. In CI only --device can complete.
 */
async function signIn(deps: EgressDeps, set: EgressSet, provider: ResolvedProvider, client: EgressClient): Promise<{ answer: TokenAnswer; via: 'browser' | 'device' }> {
  const offersDevice = provider.deviceAuthorizationEndpoint !== undefined;
  if (deps.device === 'explicit') return { answer: await deviceLogin(client, set, deps.ui, deps.browserTimeoutMs), via: 'device' };
  if (deps.ci) {
    throw new BrowserTimeoutError(
      `${set.server}: a browser sign-in to ${set.provider} is needed, and none can complete in CI (CI is set)`,
      `sign in once on a workstation (mcpgw-creds --egress-only --provider ${set.provider})${offersDevice ? ', use --device and confirm the code from another device,' : ''} or give this job a token file with a refresh token`,
    );
  }
  if (deps.device === 'auto' && offersDevice && !deps.ui.openBrowser) {
    try {
      return { answer: await deviceLogin(client, set, deps.ui, deps.browserTimeoutMs), via: 'device' };
    } catch (error) {
      const refusedHere = error instanceof OAuthError && ['unauthorized_client', 'invalid_client', 'invalid_request', 'unsupported_grant_type'].includes(error.code);
      if (!refusedHere) throw error;
      deps.ui.warn(`${set.server}: ${set.provider} refused the device flow for this client (${error.code}); using the browser sign-in`);
    }
  }
  return { answer: await browserLogin(client, set, deps.ui, deps.browserTimeoutMs), via: 'browser' };
}

/** The OAuth client of one egress set (also used to revoke its tokens). */
export function egressClient(deps: Pick<EgressDeps, 'httpTimeoutMs'> & { ui: Pick<LoginUi, 'detail'> }, set: EgressSet, provider: ResolvedProvider): EgressClient {
  return {
    provider,
    clientId: set.clientId,
    clientSecret: set.clientSecret,
    redirectUri: set.redirectUri.href,
    timeoutMs: deps.httpTimeoutMs,
    log: (line) => deps.ui.detail(line),
    origin: {
      clientId: `EGRESS_OAUTH_CLIENT_ID_${set.index}`,
      clientSecret: `EGRESS_OAUTH_CLIENT_SECRET_${set.index}`,
      scope: `EGRESS_OAUTH_SCOPE_${set.index}`,
      url: `the ${provider.definition.name} provider definition (${provider.definition.file})`,
    },
  };
}

function build(deps: EgressDeps, set: EgressSet, provider: ResolvedProvider, answer: TokenAnswer, tail: Record<string, unknown>): TokenRecord {
  return tokenRecord({
    head: { provider: set.provider, server: set.server },
    clientId: set.clientId,
    answer,
    savedAt: Math.floor(deps.clock.now() / 1000),
    tail,
    ...(provider.definition.token_lifetime !== undefined ? { lifetime: provider.definition.token_lifetime } : {}),
  });
}

function siteFields(record: TokenRecord): Record<string, unknown> {
  return record.cloud_id === undefined ? {} : { cloud_id: record.cloud_id, ...(record.site_url === undefined ? {} : { site_url: record.site_url }) };
}

/**
 * Writes the record; for a provider with a `cloud_id_url` (Atlassian), first looks the site up. The
 * token is saved even when that lookup fails, so the next run retries the lookup, not the sign-in.
 */
async function save(
  deps: EgressDeps,
  set: EgressSet,
  provider: ResolvedProvider,
  file: string,
  record: TokenRecord,
  status: 'ok' | 'cached',
  via: EgressResult['via'] = 'cache',
): Promise<EgressResult> {
  const write = (value: TokenRecord): Promise<string> => deps.store.withLock(file, () => deps.store.writeJson(file, value));
  // The token is saved before the site lookup, so a failed lookup costs a retry, not a sign-in.
  const path = status === 'ok' ? await write(record) : deps.store.pathOf(file);
  if (!provider.cloudIdUrl) return { status, via, file: path, record };
  const sites = await fetchSites(provider.cloudIdUrl, record.access_token, deps.httpTimeoutMs, (line) => deps.ui.detail(line));
  const site = await chooseSite(sites, {
    wanted: set.atlassianSite,
    variable: `EGRESS_ATLASSIAN_SITE_${set.index}`,
    choose: deps.chooseSite,
    warn: (message) => deps.ui.warn(`${set.server}: ${message}`),
    timeoutMs: deps.httpTimeoutMs,
  });
  if (!site) return { status, via, file: path, record };
  const withSite: TokenRecord = { ...record, cloud_id: site.id, site_url: site.url };
  return { status, via, file: await write(withSite), record: withSite };
}
