import type { CommonFlags } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { egressClient } from '../../flows/egress.js';
import { revokeEgressTokens, revokeKeycloakToken } from '../../oauth/revoke.js';
import { findServerToken, listTokens, type StoredToken } from '../../store/token-files.js';
import type { CliContext } from '../context.js';
import { planSteps, type Plan } from '../plan.js';
import { errorReport, jsonSummary, printStep, type StepReport } from '../report.js';
import { renderStep } from '../steps.js';

export interface LogoutFlags extends CommonFlags {
  server?: string;
  all?: boolean;
  json?: boolean;
}

type Revocation = { revoked: true } | { revoked: false; why: string };

/** Revokes one stored token where its provider can, with the settings that issued it. */
async function revoke(token: StoredToken, plan: Plan): Promise<Revocation> {
  const { record } = token;
  const timeoutMs = plan.settings.httpTimeoutMs;
  if (token.kind === 'egress') {
    const found = plan.egress.find(({ set }) => set.provider === record.provider && set.server === record.server);
    if (!found) return { revoked: false, why: `no egress set for ${record.provider} and the server ${token.name} is configured` };
    if (!found.provider.revocationEndpoint) return { revoked: false, why: `${record.provider} has no revocation endpoint` };
    await revokeEgressTokens(egressClient({ httpTimeoutMs: timeoutMs, ui: { detail: () => undefined } }, found.set, found.provider), record);
    return { revoked: true };
  }
  if (record.provider !== 'keycloak_m2m') return { revoked: false, why: `${record.provider} tokens cannot be revoked; it stays valid until it expires` };
  const client =
    token.kind === 'ingress'
      ? plan.ingress?.provider === 'keycloak' && plan.ingress.client.clientId === record.client_id ? plan.ingress.client : undefined
      : plan.agents.find((agent) => agent.id === token.name)?.client;
  if (!client) return { revoked: false, why: 'its client secret is not configured here' };
  await revokeKeycloakToken({ issuer: client.issuer, clientId: client.clientId, clientSecret: client.clientSecret, token: record.access_token, timeoutMs });
  return { revoked: true };
}

/**
 * `mcpgw-creds logout --server NAME | --all`: revokes each token at its provider where that is
 * possible, deletes its file (and keychain entries), and re-renders the configurations, which
 * then no longer carry it. A failed revocation is reported (its exit status), but the token is
 * deleted here all the same.
 */
export async function logoutCommand(flags: LogoutFlags, cli: CliContext): Promise<number> {
  if (flags.all === (flags.server !== undefined)) throw new UsageError('say what to log out of: --server NAME, or --all');
  const plan = await planSteps(flags, cli, { steps: new Set(['ingress', 'agents', 'agentcore', 'egress']) });
  let targets: StoredToken[];
  if (flags.all) targets = await listTokens(plan.store);
  else {
    const token = await findServerToken(plan.store, flags.server as string);
    if (!token) {
      const servers = (await listTokens(plan.store)).filter((t) => t.kind === 'egress' || t.kind === 'agentcore').map((t) => t.name);
      throw new UsageError(`no token for the server ${flags.server}`, servers.length > 0 ? `servers with tokens: ${servers.join(', ')}` : 'there are no egress tokens');
    }
    targets = [token];
  }

  const reports: StepReport[] = [];
  const report = (entry: StepReport): void => {
    reports.push(entry);
    printStep(cli.io, entry, { cwd: cli.cwd, nowSeconds: Math.floor(cli.clock.now() / 1000) });
  };
  for (const token of targets) {
    cli.io.addSecret(token.record.access_token);
    cli.io.addSecret(token.record.refresh_token);
    const name = token.kind === 'ingress' ? undefined : token.name;
    let outcome: Revocation | undefined;
    let failure: unknown;
    try {
      outcome = await revoke(token, plan);
    } catch (error) {
      failure = error;
    }
    await plan.store.remove(token.file);
    const file = plan.store.pathOf(token.file);
    if (failure !== undefined) {
      const error = errorReport(failure);
      report({ step: 'logout', ...(name ? { name } : {}), status: 'failed', file, error: { ...error, message: `deleted here, but not revoked: ${error.message}` } });
    } else {
      report({
        step: 'logout',
        ...(name ? { name } : {}),
        status: 'ok',
        file,
        reason: outcome?.revoked ? 'revoked at the provider and deleted' : `deleted (not revoked: ${outcome?.why ?? '?'})`,
      });
    }
  }
  if (targets.length === 0) cli.io.info('there were no tokens to log out of');
  if (plan.settings.registryUrl !== undefined) await renderStep(plan, cli, report);
  const exitCode = reports.find((entry) => entry.status === 'failed')?.error?.exit_code ?? 0;
  if (flags.json) cli.io.out(jsonSummary(reports, exitCode));
  return exitCode;
}
