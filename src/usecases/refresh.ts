import { epochSeconds, secondsUntilDue } from '../flows/freshness.js';
import { egressFile } from '../store/layout.js';
import type { Deps } from './deps.js';
import { collect, isToken, type Outcome, type OutcomeSink } from './outcome.js';
import { ALL_STEPS, planSteps } from './plan.js';
import { renderConfigs } from './render.js';
import { renewOnly, runTokenSteps } from './token-steps.js';

export interface RefreshInput {
  /** The freshness margin: renew tokens that expire within this (or at half their life, if sooner). */
  bufferSeconds: number;
  /** Renew every token now. */
  force: boolean;
  /** A spinner while a step waits (not for the watcher, whose output is a log). */
  progress: boolean;
  onOutcome?: OutcomeSink;
}

export interface RefreshRound {
  outcomes: Outcome[];
  /**
   * Seconds until the earliest token this round keeps fresh is due again; undefined when it kept
   * none. Tokens that failed, and stale files nothing configures any more, do not count: the
   * watcher would otherwise wake every second for a token it cannot renew.
   */
  nextRenewalSeconds: number | undefined;
}

/**
 * One refresh pass: client-credentials tokens re-issued and egress tokens refreshed with their
 * refresh tokens when due (never a sign-in: egress sets never signed in are skipped), then the
 * configurations re-rendered when any token was obtained or reused.
 */
export async function refreshRound(deps: Deps, input: RefreshInput): Promise<RefreshRound> {
  const { outcomes, report } = collect(input.onOutcome);
  const plan = await planSteps(deps, { steps: ALL_STEPS });
  const present = new Set(await deps.store.list());
  for (const { set } of plan.egress) {
    if (!present.has(egressFile(set.provider, set.server))) {
      report({
        step: 'egress',
        name: set.server,
        status: 'skipped',
        reason: `not signed in yet: run mcpgw-creds --egress-only --provider ${set.provider}`,
      });
    }
  }
  const signedIn = { ...plan, egress: plan.egress.filter(({ set }) => present.has(egressFile(set.provider, set.server))) };
  await runTokenSteps(deps, signedIn, { ...renewOnly(input.bufferSeconds, input.force), progress: input.progress }, report);
  if (outcomes.some(isToken)) report(await renderConfigs(deps));
  if (outcomes.some((outcome) => isToken(outcome) && outcome.status === 'ok')) {
    const { rewriteInlineInstalls } = await import('./inline-installs.js');
    for (const file of await rewriteInlineInstalls(deps)) deps.log.info(`installed entries: put the renewed tokens in ${file}`);
  }
  const now = epochSeconds(deps.clock);
  const waits = outcomes.filter(isToken).map(({ record }) => secondsUntilDue(record, now, input.bufferSeconds));
  return { outcomes, nextRenewalSeconds: waits.length > 0 ? Math.min(...waits) : undefined };
}
