import { ConfigError } from '../errors.js';
import { DEFAULT_MARGIN_SECONDS, epochSeconds, isRenewalDue, renewalMarginOf } from '../flows/freshness.js';
import { egressHeaders, ingressHeaders } from '../render/servers.js';
import { AGENTCORE_PROVIDER } from '../store/layout.js';
import type { TokenRecord } from '../store/records.js';
import { findServerToken, readAgentToken, readIngress, type StoredToken } from '../store/token-files.js';
import type { Deps } from './deps.js';
import { isFailed, isToken, type Outcome, type TokenStep } from './outcome.js';
import type { Plan, Selection } from './plan.js';

/** Whose token: the gateway's (ingress), an agent's, or a gateway server's (egress or AgentCore). */
export type Target = { kind: 'ingress' } | { kind: 'agent'; id: string } | { kind: 'server'; server: string };

function describe(target: Target): string {
  return target.kind === 'ingress'
    ? 'the ingress token'
    : target.kind === 'agent'
      ? `the token of agent ${target.id}`
      : `the token of the server ${target.server}`;
}

function stepsOf(target: Target): TokenStep[] {
  return target.kind === 'ingress' ? ['ingress'] : target.kind === 'agent' ? ['agents'] : ['egress', 'agentcore'];
}

function planned(target: Target, plan: Plan, hasWork: (plan: Plan, step: TokenStep) => boolean): boolean {
  return stepsOf(target).some((step) => hasWork(plan, step));
}

function readStored(deps: Pick<Deps, 'store'>, target: Target): Promise<StoredToken | undefined> {
  if (target.kind === 'ingress') return readIngress(deps.store);
  if (target.kind === 'agent') return readAgentToken(deps.store, target.id);
  return findServerToken(deps.store, target.server);
}

/**
 * Fresh tokens for the targets: the stored ones when they are not due for renewal (no request, no
 * plan), else renewed without a sign-in (client credentials re-issued, egress tokens refreshed),
 * all in one plan. After a renewal the client configurations are re-rendered where they exist, so
 * they carry the tokens this call returns. Throws the first failure.
 */
async function freshRecords(
  deps: Deps,
  targets: readonly Target[],
  stored: ReadonlyArray<StoredToken | undefined>,
  force = false,
): Promise<TokenRecord[]> {
  const now = epochSeconds(deps.clock);
  const due = targets.filter((_, i) => {
    const token = stored[i];
    return force || !token || isRenewalDue(token.record, now, DEFAULT_MARGIN_SECONDS);
  });
  if (due.length === 0) return stored.map((token) => (token as StoredToken).record);

  const selection: Selection = {
    steps: new Set(due.flatMap(stepsOf)),
    ...(due.some((t) => t.kind === 'agent') ? { agentIds: due.flatMap((t) => (t.kind === 'agent' ? [t.id] : [])) } : {}),
    ...(due.some((t) => t.kind === 'server') ? { servers: due.flatMap((t) => (t.kind === 'server' ? [t.server] : [])) } : {}),
  };
  // Loaded only to renew: the fresh path (every MCP connection of Claude Code) stays small.
  const [{ hasWork, planSteps }, { rerenderIfRendered }, { renewOnly, runTokenSteps }] = await Promise.all([
    import('./plan.js'),
    import('./render.js'),
    import('./token-steps.js'),
  ]);
  const plan = await planSteps(deps, selection);
  for (const target of due) {
    if (planned(target, plan, hasWork)) continue;
    const present = stored[targets.indexOf(target)] !== undefined;
    throw new ConfigError(
      `${describe(target)} is ${present ? 'about to expire' : 'missing'}, and nothing is configured to ${present ? 'renew' : 'obtain'} it`,
      {
        hint:
          target.kind === 'ingress'
            ? 'set AUTH_PROVIDER and its variables (see .env.example), or pass the --env-file that has them'
            : target.kind === 'agent'
              ? `create it with mcpgw-creds keycloak create-agent --agent-id ${target.id}`
              : `configure an egress set with EGRESS_MCP_SERVER_NAME_N=${target.server} (or an AgentCore set), then sign in with mcpgw-creds --egress-only`,
      },
    );
  }
  const outcomes: Outcome[] = [];
  await runTokenSteps(deps, plan, renewOnly(DEFAULT_MARGIN_SECONDS, force), (outcome) => outcomes.push(outcome));
  const tokens = outcomes.filter(isToken);
  if (tokens.some((outcome) => outcome.status === 'ok')) {
    // Quietly: these commands print a secret on stdout, and run on every MCP connection; what the
    // render would warn of (an expired token elsewhere) is for `render` and the main run to say.
    const quiet = { ...deps.log, warn: (message: string) => deps.log.detail(`render: ${message}`) };
    const rendered = await rerenderIfRendered({ ...deps, log: quiet });
    const { rewriteInlineInstalls } = await import('./inline-installs.js');
    await rewriteInlineInstalls({ ...deps, log: quiet });
    if (rendered?.status === 'failed') {
      deps.log.warn(
        `the client configurations were not updated: ${rendered.error instanceof Error ? rendered.error.message : String(rendered.error)}`,
      );
    }
  }
  const failure = outcomes.find(isFailed);
  if (failure) throw failure.error;
  return targets.map((target, i) => {
    if (!due.includes(target)) return (stored[i] as StoredToken).record;
    const found = tokens.find((outcome) => matches(target, outcome.step, outcome.name));
    if (!found) throw new Error(`${describe(target)} could not be renewed: no step produced it`);
    return found.record;
  });
}

function matches(target: Target, step: TokenStep, name: string | undefined): boolean {
  if (target.kind === 'ingress') return step === 'ingress';
  if (target.kind === 'agent') return step === 'agents' && name === target.id;
  return (step === 'egress' || step === 'agentcore') && name === target.server;
}

/** A token of the target that is not due for renewal: the stored one, or renewed (never a sign-in). */
export async function freshToken(deps: Deps, target: Target): Promise<TokenRecord> {
  const stored = await readStored(deps, target);
  const [record] = await freshRecords(deps, [target], [stored]);
  return record as TokenRecord;
}

/** A server's headers, and until when they stay fresh. */
export interface ServerCredentials {
  headers: Record<string, string>;
  /** Seconds since the epoch when the first of their tokens becomes due for renewal. */
  freshUntil: number;
}

/**
 * The headers for one gateway server, with fresh tokens: every server takes the ingress headers;
 * an egress (or AgentCore) server adds its own token and its provider's `mcp_headers`. The same
 * set the rendered configurations carry.
 */
export async function serverHeaders(deps: Deps, server: string): Promise<Record<string, string>> {
  return (await serverCredentials(deps, server)).headers;
}

/**
 * `serverHeaders` with the time they stay fresh, for a caller that keeps them (the bridge);
 * `force` renews the tokens even if they are fresh (the gateway refused them).
 */
export async function serverCredentials(deps: Deps, server: string, options: { force?: boolean } = {}): Promise<ServerCredentials> {
  const [storedIngress, storedServer] = await Promise.all([readIngress(deps.store), findServerToken(deps.store, server)]);
  // A server configured for egress or AgentCore needs its own token, even before the first sign-in
  // (then the error says how to sign in).
  const ownToken =
    storedServer !== undefined ||
    deps.config.egress.value.some((set) => set.server === server) ||
    deps.config.agentcore.value.some((set) => set.server === server);
  const targets: Target[] = [];
  const stored: Array<StoredToken | undefined> = [];
  // Without any token, the ingress one is what is missing.
  if (storedIngress || !ownToken) {
    targets.push({ kind: 'ingress' });
    stored.push(storedIngress);
  }
  if (ownToken) {
    targets.push({ kind: 'server', server });
    stored.push(storedServer);
  }
  const records = await freshRecords(deps, targets, stored, options.force === true);
  const ingress = targets[0]?.kind === 'ingress' ? records[0] : undefined;
  const egress = ownToken ? records[records.length - 1] : undefined;
  let headers = ingressHeaders(ingress);
  if (egress) {
    const providerHeaders =
      egress.provider === AGENTCORE_PROVIDER
        ? () => undefined
        : await deps.providers().then((catalogue) => (name: string) => catalogue.get(name)?.mcp_headers);
    headers = { ...headers, ...egressHeaders(egress, { providerHeaders, warn: (message) => deps.log.warn(message) }) };
  }
  const freshUntil = Math.min(...records.map((record) => record.expires_at - renewalMarginOf(record, DEFAULT_MARGIN_SECONDS)));
  return { headers, freshUntil };
}
