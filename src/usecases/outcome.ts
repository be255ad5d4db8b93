import type { TokenRecord } from '../store/records.js';

export type TokenStep = 'ingress' | 'agents' | 'agentcore' | 'egress';
export type StepName = TokenStep | 'render' | 'logout';

/** A token obtained (`ok`) or reused (`cached`). */
export interface TokenOutcome {
  step: TokenStep;
  /** The agent id, server or provider, when a step has several. */
  name?: string;
  status: 'ok' | 'cached';
  /** For egress: how the token came. */
  via?: 'cache' | 'refresh' | 'browser' | 'device';
  file: string;
  record: TokenRecord;
}

export interface SkippedOutcome {
  step: StepName;
  name?: string;
  status: 'skipped';
  reason: string;
}

/** A step that failed; the error is kept whole (its class decides the exit status). */
export interface FailedOutcome {
  step: StepName;
  name?: string;
  status: 'failed';
  error: unknown;
  file?: string;
}

export interface RenderedOutcome {
  step: 'render';
  status: 'ok';
  files: string[];
  /** False when every file already held exactly this content (left untouched). */
  changed: boolean;
}

interface LoggedOutOutcome {
  step: 'logout';
  name?: string;
  status: 'ok';
  file: string;
  /** Revoked at the provider; or why not. */
  revoked: boolean;
  why?: string;
}

export type Outcome = TokenOutcome | SkippedOutcome | FailedOutcome | RenderedOutcome | LoggedOutOutcome;

/** Told of each outcome as it happens (the CLI prints it at once). */
export type OutcomeSink = (outcome: Outcome) => void;

/** Keeps the outcomes in order and passes each on as it happens. */
export function collect(onOutcome: OutcomeSink | undefined): { outcomes: Outcome[]; report: OutcomeSink } {
  const outcomes: Outcome[] = [];
  return {
    outcomes,
    report: (outcome) => {
      outcomes.push(outcome);
      onOutcome?.(outcome);
    },
  };
}

export function isFailed(outcome: Outcome): outcome is FailedOutcome {
  return outcome.status === 'failed';
}

export function isToken(outcome: Outcome): outcome is TokenOutcome {
  return (outcome.status === 'ok' || outcome.status === 'cached') && outcome.step !== 'render' && outcome.step !== 'logout';
}
