import { UsageError } from '../../errors.js';
import { obtainCredentials, type ObtainInput } from '../../usecases/obtain.js';
import type { TokenStep } from '../../usecases/outcome.js';
import { ALL_STEPS } from '../../usecases/plan.js';
import { nowSeconds, type Command, type CommonFlags } from '../command.js';
import { exitStatus } from '../exit-codes.js';
import { jsonSummary, printOutcome } from '../report/steps.js';

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
}

export type RunInput = Omit<ObtainInput, 'onOutcome'> & { json: boolean };

function onlyStep(flags: RunFlags): TokenStep | undefined {
  if (flags.ingressOnly) return 'ingress';
  if (flags.egressOnly) return 'egress';
  if (flags.agentsOnly || flags.keycloakOnly) return 'agents';
  if (flags.agentcoreOnly) return 'agentcore';
  return undefined;
}

/** The main command: ingress, agent tokens, AgentCore, egress, then the client configurations. */
export const runCommand: Command<RunFlags, RunInput> = {
  parse(flags) {
    const only = onlyStep(flags);
    const providers = flags.provider ?? [];
    if (providers.length > 0 && only !== undefined && only !== 'egress') {
      throw new UsageError(`--provider limits the egress step, which --${only}-only leaves out`, 'drop --provider, or use --egress-only');
    }
    return {
      selection: { steps: only ? new Set([only]) : ALL_STEPS, only, providers, device: flags.device },
      steps: {
        force: flags.force === true,
        openBrowser: flags.browser !== false,
        device: flags.device === true ? 'explicit' : flags.device === false ? 'off' : 'auto',
        browserTimeoutMs: (flags.timeout ?? 300) * 1000,
        progress: true,
      },
      json: flags.json === true,
    };
  },
  async run(cli, input) {
    const outcomes = await obtainCredentials(cli.deps, {
      ...input,
      onOutcome: (outcome) => printOutcome(cli.io, outcome, { cwd: cli.cwd, nowSeconds: nowSeconds(cli) }),
    });
    const status = exitStatus(outcomes);
    if (input.json) cli.io.out(jsonSummary(outcomes, status));
    return status;
  },
};
