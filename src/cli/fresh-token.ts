import type { CommonFlags } from '../config/settings.js';
import { ConfigError } from '../errors.js';
import { REUSE_MARGIN_SECONDS, type TokenRecord } from '../store/records.js';
import type { StoredToken } from '../store/token-files.js';
import type { CliContext } from './context.js';
import type { Plan, Selection } from './plan.js';
import type { StepReport } from './report.js';

export type Target = { kind: 'ingress' } | { kind: 'agent'; id: string } | { kind: 'server'; server: string };

export type Fresh = { record: TokenRecord } | { error: NonNullable<StepReport['error']> };

function selectionFor(target: Target): Selection {
  if (target.kind === 'ingress') return { steps: new Set(['ingress']) };
  if (target.kind === 'agent') return { steps: new Set(['agents']), agentIds: [target.id] };
  return { steps: new Set(['egress', 'agentcore']), servers: [target.server] };
}

function nothingToRenew(target: Target, plan: Plan): boolean {
  if (target.kind === 'ingress') return plan.ingress === undefined;
  if (target.kind === 'agent') return plan.agents.length === 0;
  return plan.egress.length === 0 && plan.agentcore.length === 0;
}

function describe(target: Target): string {
  return target.kind === 'ingress' ? 'the ingress token' : target.kind === 'agent' ? `the token of agent ${target.id}` : `the token of the server ${target.server}`;
}

/**
 * A token valid for more than the margin: the stored one when it is (no configuration read, no
 * request), else renewed without a sign-in: client credentials re-issued, an egress token refreshed.
 */
export async function freshToken(flags: CommonFlags, cli: CliContext, target: Target, stored: StoredToken | undefined): Promise<Fresh> {
  const now = Math.floor(cli.clock.now() / 1000);
  if (stored && stored.record.expires_at - now > REUSE_MARGIN_SECONDS) {
    cli.io.addSecret(stored.record.access_token);
    return { record: stored.record };
  }
  // Loaded only to renew: the fresh-token path (every Claude Code connection) stays small.
  const [{ planSteps }, { executeSteps }] = await Promise.all([import('./plan.js'), import('./steps.js')]);
  const plan = await planSteps(flags, cli, selectionFor(target));
  if (nothingToRenew(target, plan)) {
    throw new ConfigError(`${describe(target)} is ${stored ? 'about to expire' : 'missing'}, and nothing is configured to ${stored ? 'renew' : 'obtain'} it`, {
      hint:
        target.kind === 'ingress'
          ? 'set AUTH_PROVIDER and its variables (see .env.example), or pass the --env-file that has them'
          : target.kind === 'agent'
            ? `create it with mcpgw-creds keycloak create-agent --agent-id ${target.id}`
            : `configure an egress set with EGRESS_MCP_SERVER_NAME_N=${target.server} (or an AgentCore set), then sign in with mcpgw-creds --egress-only`,
    });
  }
  let outcome: Fresh | undefined;
  await executeSteps(plan, cli, { force: false, signIn: false, browser: false, device: false, browserTimeoutSeconds: 0, spinner: false }, (report, record) => {
    if (outcome) return;
    if (report.status === 'failed' && report.error) outcome = { error: report.error };
    else if (record) outcome = { record };
  });
  return outcome ?? { error: { code: 'internal', message: `${describe(target)} could not be renewed`, exit_code: 1 } };
}
