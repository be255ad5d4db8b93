import path from 'node:path';
import { McpgwError } from '../errors.js';
import { errorCodeOf, exitCodeOf } from './exit-codes.js';
import type { Io } from './io.js';

export type StepName = 'ingress' | 'agents' | 'agentcore' | 'egress' | 'render' | 'logout';

/** One line of the main command's outcome; `--json` prints a list of these. */
export interface StepReport {
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
  error?: { code: string; message: string; hint?: string; exit_code: number };
}

export function errorReport(error: unknown): NonNullable<StepReport['error']> {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof McpgwError ? error.hint : undefined;
  return { code: errorCodeOf(error), message, ...(hint ? { hint } : {}), exit_code: exitCodeOf(error) };
}

/** "in 59 min", "in 2 h 5 min", "3 min ago". */
export function relativeTime(seconds: number): string {
  const abs = Math.abs(seconds);
  let text: string;
  if (abs < 90) text = `${Math.round(abs)} s`;
  else if (abs < 90 * 60) text = `${Math.round(abs / 60)} min`;
  else if (abs < 48 * 3600) text = `${Math.floor(abs / 3600)} h ${Math.round((abs % 3600) / 60)} min`;
  else text = `${Math.round(abs / 86400)} d`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** A path as the user would type it: relative to the working directory when inside it. */
export function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** Prints one step's outcome on stderr, for people. */
export function printStep(io: Io, report: StepReport, context: { cwd: string; nowSeconds: number }): void {
  const { paint } = io;
  // "agent alpha" reads better than "agents alpha"; --json keeps the step's name.
  const label = report.name ? `${report.step === 'agents' ? 'agent' : report.step} ${report.name}` : report.step;
  const where = report.file ? ` → ${displayPath(report.file, context.cwd)}` : '';
  const expiry =
    report.expires_at !== undefined
      ? `expires ${relativeTime(report.expires_at - context.nowSeconds)} (${report.expires_at_human ?? ''})`
      : '';
  switch (report.status) {
    case 'ok':
      if (report.step === 'logout') {
        io.info(`${paint.ok('✔')} ${paint.bold(label)}: ${report.reason ?? 'done'}${where}`);
        break;
      }
      io.info(`${paint.ok('✔')} ${paint.bold(label)}: ${report.files ? `${report.changed === false ? 'up to date' : 'wrote'} ${report.files.map((f) => displayPath(f, context.cwd)).join(', ')}` : `${report.via === 'refresh' ? 'refreshed token' : report.via === 'device' ? 'new token (device flow)' : 'new token'}, ${expiry}${where}`}`);
      break;
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

/** The one JSON object `--json` prints on stdout. */
export function jsonSummary(reports: readonly StepReport[], exitCode: number): string {
  return JSON.stringify({ ok: exitCode === 0, exit_code: exitCode, steps: reports }, null, 2) + '\n';
}
