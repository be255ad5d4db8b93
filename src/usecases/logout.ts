import { UsageError } from '../errors.js';
import { egressClient } from '../flows/egress.js';
import { revokeEgressTokens, revokeKeycloakToken } from '../oauth/revoke.js';
import { findServerToken, listTokens, type StoredToken } from '../store/token-files.js';
import type { Deps } from './deps.js';
import { collect, type Outcome, type OutcomeSink } from './outcome.js';
import { ALL_STEPS, planSteps, type Plan } from './plan.js';
import { renderConfigs } from './render.js';

export type LogoutInput = ({ server: string } | { all: true }) & { onOutcome?: OutcomeSink };

type Revocation = { revoked: true } | { revoked: false; why: string };

/** Revokes one stored token where its provider can, with the settings that issued it. */
async function revoke(deps: Deps, token: StoredToken, plan: Plan): Promise<Revocation> {
  const { record } = token;
  const timeoutMs = deps.config.settings.httpTimeoutMs;
  if (token.kind === 'egress') {
    const found = plan.egress.find(({ set }) => set.provider === record.provider && set.server === record.server);
    if (!found) return { revoked: false, why: `no egress set for ${record.provider} and the server ${token.name} is configured` };
    if (!found.provider.revocationEndpoint) return { revoked: false, why: `${record.provider} has no revocation endpoint` };
    await revokeEgressTokens(
      egressClient({ fetch: deps.fetch, log: { detail: () => undefined } }, found.set, found.provider, timeoutMs),
      record,
    );
    return { revoked: true };
  }
  if (record.provider !== 'keycloak_m2m')
    return { revoked: false, why: `${record.provider} tokens cannot be revoked; it stays valid until it expires` };
  const client =
    token.kind === 'ingress'
      ? plan.ingress?.provider === 'keycloak' && plan.ingress.client.clientId === record.client_id
        ? plan.ingress.client
        : undefined
      : plan.agents.find((agent) => agent.id === token.name)?.client;
  if (!client) return { revoked: false, why: 'its client credentials are not configured here' };
  await revokeKeycloakToken({
    client,
    token: record.access_token,
    timeoutMs,
    fetch: deps.fetch,
    checkKeyMode: deps.system.platform !== 'win32',
  });
  return { revoked: true };
}

/**
 * Logs out of one server's token or of every token: revokes each at its provider where that is
 * possible, deletes it here (file and keychain entries), then re-renders the configurations, which
 * then no longer carry it. A failed revocation is a failed outcome, but the token is deleted here
 * all the same.
 */
export async function logout(deps: Deps, input: LogoutInput): Promise<Outcome[]> {
  const plan = await planSteps(deps, { steps: ALL_STEPS });
  let targets: StoredToken[];
  if ('all' in input) targets = await listTokens(deps.store);
  else {
    const token = await findServerToken(deps.store, input.server);
    if (!token) {
      const servers = (await listTokens(deps.store)).filter((t) => t.kind === 'egress' || t.kind === 'agentcore').map((t) => t.name);
      throw new UsageError(
        `no token for the server ${input.server}`,
        servers.length > 0 ? `servers with tokens: ${servers.join(', ')}` : 'there are no egress tokens',
      );
    }
    targets = [token];
  }

  const { outcomes, report } = collect(input.onOutcome);
  for (const token of targets) {
    const name = token.kind === 'ingress' ? {} : { name: token.name };
    let revocation: Revocation | undefined;
    let failure: unknown;
    try {
      revocation = await revoke(deps, token, plan);
    } catch (error) {
      failure = error;
    }
    await deps.store.remove(token.file);
    const file = deps.store.pathOf(token.file);
    if (failure !== undefined || !revocation) report({ step: 'logout', ...name, status: 'failed', file, error: failure });
    else
      report({
        step: 'logout',
        ...name,
        status: 'ok',
        file,
        ...(revocation.revoked ? { revoked: true } : { revoked: false, why: revocation.why }),
      });
  }
  if (targets.length === 0) deps.log.info('there were no tokens to log out of');
  if (deps.config.settings.registryUrl !== undefined) report(await renderConfigs(deps));
  return outcomes;
}
