import type { Deps } from './deps.js';
import { isToken, type Outcome, type OutcomeSink, type TokenStep } from './outcome.js';
import { ALL_STEPS, planSteps, type Plan, type Selection } from './plan.js';
import { renderConfigs } from './render.js';
import { runTokenSteps, type StepOptions } from './token-steps.js';

export interface ObtainInput {
  selection: Selection;
  steps: Omit<StepOptions, 'signIn'>;
  onOutcome?: OutcomeSink;
}

const SKIPPED: Record<TokenStep, string> = {
  ingress: 'AUTH_PROVIDER is not set',
  agents: 'no agent-{id}.json in the tokens directory',
  agentcore: 'AGENTCORE_CLIENT_ID_1 is not set',
  egress: 'EGRESS_PROVIDER_NAME_1 is not set',
};

const ORDER = [...ALL_STEPS];

function isPlanned(plan: Plan, step: TokenStep): boolean {
  if (step === 'ingress') return plan.ingress !== undefined;
  if (step === 'agents') return plan.agents.length > 0;
  if (step === 'agentcore') return plan.agentcore.length > 0;
  return plan.egress.length > 0;
}

/**
 * The main job: ingress, agent tokens, AgentCore, egress (with a sign-in where one is needed), then
 * the client configurations. Steps with nothing configured are reported as skipped in their place;
 * a failing step does not stop the others. Configuration problems throw before any request.
 */
export async function obtainCredentials(deps: Deps, input: ObtainInput): Promise<Outcome[]> {
  const plan = await planSteps(deps, input.selection);
  const outcomes: Outcome[] = [];
  const report = (outcome: Outcome): void => {
    outcomes.push(outcome);
    input.onOutcome?.(outcome);
  };
  const skipped = ORDER.filter((step) => input.selection.steps.has(step) && !isPlanned(plan, step));
  const reportSkippedBefore = (position: number): void => {
    while (skipped.length > 0 && ORDER.indexOf(skipped[0] as TokenStep) < position) {
      const step = skipped.shift() as TokenStep;
      report({ step, status: 'skipped', reason: SKIPPED[step] });
    }
  };
  await runTokenSteps(deps, plan, { ...input.steps, signIn: true }, (outcome) => {
    reportSkippedBefore(ORDER.indexOf(outcome.step as TokenStep));
    report(outcome);
  });
  reportSkippedBefore(ORDER.length);

  if (outcomes.some(isToken)) report(await renderConfigs(deps));
  else report({ step: 'render', status: 'skipped', reason: 'no token was obtained or reused' });
  return outcomes;
}
