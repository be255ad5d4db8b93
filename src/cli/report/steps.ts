import { ConfigError, GatewayRefusedError, McpgwError } from '../../errors.js';
import type { Outcome, StepName } from '../../usecases/outcome.js';
import { exitStatus } from '../exit-codes.js';
import type { Io } from '../io.js';
import { displayPath, relativeTime } from './format.js';

/**
 * Step outcomes and errors as people and machines read them: a line each on stderr, and the
 * `--json` summary on stdout.
 */

/** One entry of a command's `--json` summary. */
interface StepReport {
  step: StepName;
  /** The agent id, server or provider the entry is about, when a step has several. */
  name?: string;
  status: 'ok' | 'cached' | 'skipped' | 'failed';
  /** For egress: how the token came (a cached one, a refresh, a browser sign-in). */
  via?: 'cache' | 'refresh' | 'browser' | 'device';
  file?: string;
  files?: string[];
  /** For render: false when the files already held exactly this content (left untouched). */
  changed?: boolean;
  expires_at?: number;
  expires_at_human?: string;
  reason?: string;
  error?: ErrorReport;
}

interface ErrorReport {
  code: string;
  message: string;
  hint?: string;
  /** What a diagnosis was drawn from (a gateway refusal: groups, expiry, headers sent). */
  facts?: readonly string[];
  exit_code: number;
}

export function errorReport(error: unknown): ErrorReport {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof McpgwError ? error.hint : undefined;
  return {
    code: error instanceof McpgwError ? error.code : 'internal',
    message,
    ...(hint ? { hint } : {}),
    ...(error instanceof GatewayRefusedError ? { facts: error.facts } : {}),
    exit_code: exitStatus(error),
  };
}

export function stepReport(outcome: Outcome): StepReport {
  const name = 'name' in outcome && outcome.name !== undefined ? { name: outcome.name } : {};
  switch (outcome.status) {
    case 'skipped':
      return { step: outcome.step, ...name, status: 'skipped', reason: outcome.reason };
    case 'failed': {
      const error = errorReport(outcome.error);
      if (outcome.step === 'logout') {
        return {
          step: 'logout',
          ...name,
          status: 'failed',
          ...(outcome.file ? { file: outcome.file } : {}),
          error: { ...error, message: `deleted here, but not revoked: ${error.message}` },
        };
      }
      return { step: outcome.step, ...name, status: 'failed', error };
    }
    default:
      if (outcome.step === 'render') return { step: 'render', status: 'ok', files: outcome.files, changed: outcome.changed };
      if (outcome.step === 'logout') {
        return {
          step: 'logout',
          ...name,
          status: 'ok',
          file: outcome.file,
          reason: outcome.revoked ? 'revoked at the provider and deleted' : `deleted (not revoked: ${outcome.why ?? '?'})`,
        };
      }
      return {
        step: outcome.step,
        ...name,
        status: outcome.status,
        ...(outcome.step === 'egress' && outcome.via ? { via: outcome.via } : {}),
        file: outcome.file,
        expires_at: outcome.record.expires_at,
        expires_at_human: outcome.record.expires_at_human,
      };
  }
}

/** What a line says the entry is about: "ingress", "agent alpha" (not "agents alpha"), "egress jira". */
export function labelOf(report: Pick<StepReport, 'step' | 'name'>): string {
  return report.name ? `${report.step === 'agents' ? 'agent' : report.step} ${report.name}` : report.step;
}

/** One step's outcome on stderr, for people. */
export function printOutcome(io: Io, outcome: Outcome, context: { cwd: string; nowSeconds: number }): void {
  const report = stepReport(outcome);
  const { paint } = io;
  const label = labelOf(report);
  const where = report.file ? ` → ${displayPath(report.file, context.cwd)}` : '';
  const expiry =
    report.expires_at !== undefined
      ? `expires ${relativeTime(report.expires_at - context.nowSeconds)} (${report.expires_at_human ?? ''})`
      : '';
  switch (report.status) {
    case 'ok': {
      if (report.step === 'logout') {
        io.info(`${paint.ok('✔')} ${paint.bold(label)}: ${report.reason ?? 'done'}${where}`);
        break;
      }
      const what = report.files
        ? `${report.changed === false ? 'up to date' : 'wrote'} ${report.files.map((f) => displayPath(f, context.cwd)).join(', ')}`
        : `${report.via === 'refresh' ? 'refreshed token' : report.via === 'device' ? 'new token (device flow)' : 'new token'}, ${expiry}${where}`;
      io.info(`${paint.ok('✔')} ${paint.bold(label)}: ${what}`);
      break;
    }
    case 'cached':
      io.info(`${paint.ok('✔')} ${paint.bold(label)}: cached token reused, ${expiry}${where}`);
      break;
    case 'skipped':
      io.info(`${paint.dim('–')} ${paint.bold(label)}: skipped, ${report.reason ?? 'nothing to do'}`);
      break;
    case 'failed':
      io.error(`${label}: ${report.error?.message ?? 'failed'}`, report.error?.hint);
      break;
  }
}

/** The one JSON object `--json` prints on stdout for the step commands. */
export function jsonSummary(outcomes: readonly Outcome[], exitCode: number): string {
  return JSON.stringify({ ok: exitCode === 0, exit_code: exitCode, steps: outcomes.map(stepReport) }, null, 2) + '\n';
}

/** What `--json` prints when a command fails before it has outcomes. */
export function jsonFailure(error: unknown): string {
  const report = errorReport(error);
  return JSON.stringify({ ok: false, exit_code: report.exit_code, steps: [], error: report }, null, 2) + '\n';
}

/** An error on stderr: every problem of a configuration error, or the message and its hint. */
export function printError(io: Io, error: unknown): void {
  if (error instanceof ConfigError && error.problems.length > 1) {
    io.error(`${error.problems.length} configuration problems:`);
    for (const problem of error.problems) io.error(`  - ${problem}`);
    if (error.hint) io.error(error.hint);
  } else if (error instanceof GatewayRefusedError) {
    io.error([error.message, ...error.facts.map((fact) => `  ${fact}`)].join('\n'), error.hint);
  } else if (error instanceof McpgwError) {
    io.error(error.message, error.hint);
  } else {
    io.error(
      `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      'this is a bug in mcpgw-creds: please report it with the command you ran (the output above is free of secrets)',
    );
  }
}
