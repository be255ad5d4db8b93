import type { CommonFlags } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import type { CliContext } from '../context.js';
import { planSteps, type TokenStep } from '../plan.js';
import { jsonSummary, printStep, type StepReport } from '../report.js';
import { executeSteps, renderStep } from '../steps.js';

export interface RunFlags extends CommonFlags {
  all?: boolean;
  ingressOnly?: boolean;
  egressOnly?: boolean;
  agentsOnly?: boolean;
  keycloakOnly?: boolean;
  agentcoreOnly?: boolean;
  provider?: string[];
  force?: boolean;
  browser?: boolean;
  device?: boolean;
  timeout?: number;
  json?: boolean;
}

/** Which steps run: every one, or the one a `--*-only` option names. */
export function selectSteps(flags: RunFlags): { steps: Set<TokenStep>; only: TokenStep | undefined } {
  const only: TokenStep | undefined = flags.ingressOnly
    ? 'ingress'
    : flags.egressOnly
      ? 'egress'
      : flags.agentsOnly || flags.keycloakOnly
        ? 'agents'
        : flags.agentcoreOnly
          ? 'agentcore'
          : undefined;
  if ((flags.provider?.length ?? 0) > 0 && only !== undefined && only !== 'egress') {
    throw new UsageError(`--provider limits the egress step, which --${only}-only leaves out`, 'drop --provider, or use --egress-only');
  }
  return { steps: new Set(only ? [only] : ['ingress', 'agents', 'agentcore', 'egress']), only };
}

const ORDER: readonly TokenStep[] = ['ingress', 'agents', 'agentcore', 'egress'];

const SKIPPED: Record<TokenStep, string> = {
  ingress: 'AUTH_PROVIDER is not set',
  agents: 'no agent-{id}.json in the tokens directory',
  agentcore: 'AGENTCORE_CLIENT_ID_1 is not set',
  egress: 'EGRESS_PROVIDER_NAME_1 is not set',
};

/**
 * The main command (SPEC §3): ingress, agent tokens, AgentCore, egress, then the client
 * configurations. A failing step does not stop the others; the exit status is the first failure's.
 */
export async function runMain(flags: RunFlags, cli: CliContext): Promise<number> {
  const { steps, only } = selectSteps(flags);
  const plan = await planSteps(flags, cli, { steps, only, providers: flags.provider ?? [], device: flags.device });
  const reports: StepReport[] = [];
  const report = (entry: StepReport): void => {
    reports.push(entry);
    printStep(cli.io, entry, { cwd: cli.cwd, nowSeconds: Math.floor(cli.clock.now() / 1000) });
  };

  // Steps with nothing configured are said to be skipped, in their place in the order.
  const planned: Record<TokenStep, boolean> = {
    ingress: plan.ingress !== undefined,
    agents: plan.agents.length > 0,
    agentcore: plan.agentcore.length > 0,
    egress: plan.egress.length > 0,
  };
  const skipped = ORDER.filter((step) => steps.has(step) && !planned[step]);
  const reportSkippedBefore = (position: number): void => {
    while (skipped.length > 0 && ORDER.indexOf(skipped[0] as TokenStep) < position) {
      const step = skipped.shift() as TokenStep;
      report({ step, status: 'skipped', reason: SKIPPED[step] });
    }
  };
  await executeSteps(
    plan,
    cli,
    { force: flags.force === true, signIn: true, browser: flags.browser !== false, device: flags.device, browserTimeoutSeconds: flags.timeout ?? 300 },
    (entry) => {
      reportSkippedBefore(ORDER.indexOf(entry.step as TokenStep));
      report(entry);
    },
  );
  reportSkippedBefore(ORDER.length);

  if (reports.some((entry) => entry.status === 'ok' || entry.status === 'cached')) await renderStep(plan, cli, report);
  else report({ step: 'render', status: 'skipped', reason: 'no token was obtained or reused' });

  const exitCode = reports.find((entry) => entry.status === 'failed')?.error?.exit_code ?? 0;
  if (flags.json) cli.io.out(jsonSummary(reports, exitCode));
  return exitCode;
}

