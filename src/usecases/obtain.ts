import { ConfigError } from '../errors.js';
import { DEFAULT_MARGIN_SECONDS } from '../flows/freshness.js';
import type { Deps } from './deps.js';
import { collect, isToken, type Outcome, type OutcomeSink, type TokenStep } from './outcome.js';
import { ALL_STEPS, hasWork, planSteps, type Selection } from './plan.js';
import { renderConfigs } from './render.js';
import { runTokenSteps, type StepOptions } from './token-steps.js';

export interface ObtainInput {
  selection: Selection;
  /** How tokens are obtained; the freshness margin is the default 5 minutes. */
  steps: Omit<StepOptions, 'signIn' | 'marginSeconds'>;
  onOutcome?: OutcomeSink;
}

const SKIPPED: Record<TokenStep, string> = {
  ingress: 'AUTH_PROVIDER is not set',
  agents: 'no agent-{id}.json in the tokens directory',
  agentcore: 'AGENTCORE_CLIENT_ID_1 is not set',
  egress: 'EGRESS_PROVIDER_NAME_1 is not set',
};

const ORDER = [...ALL_STEPS];

function nothingConfigured(deps: Pick<Deps, 'config'>): ConfigError {
  const { envFiles, tokensDir } = deps.config.settings;
  const read = envFiles.length > 0 ? `the environment and ${envFiles.join(', ')}` : 'the environment (there is no .env here)';
  return new ConfigError(
    `nothing is configured: no AUTH_PROVIDER, no agent file in ${tokensDir}, no AgentCore or egress set (read ${read})`,
    { hint: 'run mcpgw-creds init to set up .env step by step, or write it yourself (docs/configuration.md in the package)' },
  );
}

/**
 * The main job: ingress, agent tokens, AgentCore, egress (with a sign-in where one is needed), then
 * the client configurations. Steps with nothing configured are reported as skipped in their place;
 * a failing step does not stop the others. Configuration problems throw before any request.
 */
export async function obtainCredentials(deps: Deps, input: ObtainInput): Promise<Outcome[]> {
  const plan = await planSteps(deps, input.selection);
  // A first run in an empty folder: five "skipped" lines and exit 0 would say nothing useful.
  if (input.selection.only === undefined && ORDER.every((step) => !hasWork(plan, step))) throw nothingConfigured(deps);
  const { outcomes, report } = collect(input.onOutcome);
  const skipped = ORDER.filter((step) => input.selection.steps.has(step) && !hasWork(plan, step));
  const reportSkippedBefore = (position: number): void => {
    while (skipped.length > 0 && ORDER.indexOf(skipped[0] as TokenStep) < position) {
      const step = skipped.shift() as TokenStep;
      report({ step, status: 'skipped', reason: SKIPPED[step] });
    }
  };
  await runTokenSteps(deps, plan, { ...input.steps, marginSeconds: DEFAULT_MARGIN_SECONDS, signIn: true }, (outcome) => {
    reportSkippedBefore(ORDER.indexOf(outcome.step as TokenStep));
    report(outcome);
  });
  reportSkippedBefore(ORDER.length);

  if (outcomes.some(isToken)) report(await renderConfigs(deps));
  else report({ step: 'render', status: 'skipped', reason: 'no token was obtained or reused' });
  if (outcomes.some((outcome) => isToken(outcome) && outcome.status === 'ok')) {
    const { rewriteInlineInstalls } = await import('./inline-installs.js');
    for (const file of await rewriteInlineInstalls(deps)) deps.log.info(`installed entries: put the new tokens in ${file}`);
  }
  return outcomes;
}
