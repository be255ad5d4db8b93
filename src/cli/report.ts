import path from 'node:path';
import { ConfigError, McpgwError } from '../errors.js';
import type { AgentState } from '../keycloak/admin.js';
import type { AgentWritten } from '../usecases/agents-admin.js';
import type { Outcome, StepName } from '../usecases/outcome.js';
import type { StatusReport, TokenStatus } from '../usecases/status.js';
import type { WatchEvent } from '../usecases/watch.js';
import { exitStatus } from './exit-codes.js';
import type { Io } from './io.js';

/**
 * The one translator from outcomes to what people and machines read: the human lines on stderr,
 * the `--json` objects and listings on stdout. (Exit statuses: exit-codes.ts.)
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
  exit_code: number;
}

function errorReport(error: unknown): ErrorReport {
  const message = error instanceof Error ? error.message : String(error);
  const hint = error instanceof McpgwError ? error.hint : undefined;
  return { code: error instanceof McpgwError ? error.code : 'internal', message, ...(hint ? { hint } : {}), exit_code: exitStatus(error) };
}

function stepReport(outcome: Outcome): StepReport {
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

/** "in 59 min", "in 2 h 5 min", "3 min ago". */
function relativeTime(seconds: number): string {
  const abs = Math.abs(seconds);
  let text: string;
  if (abs < 90) text = `${Math.round(abs)} s`;
  else if (abs < 90 * 60) text = `${Math.round(abs / 60)} min`;
  else if (abs < 48 * 3600) text = `${Math.floor(abs / 3600)} h ${Math.round((abs % 3600) / 60)} min`;
  else text = `${Math.round(abs / 86400)} d`;
  return seconds >= 0 ? `in ${text}` : `${text} ago`;
}

/** A path as the user would type it: relative to the working directory when inside it. */
function displayPath(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}

/** One step's outcome on stderr, for people. */
export function printOutcome(io: Io, outcome: Outcome, context: { cwd: string; nowSeconds: number }): void {
  const report = stepReport(outcome);
  const { paint } = io;
  // "agent alpha" reads better than "agents alpha"; --json keeps the step's name.
  const label = report.name ? `${report.step === 'agents' ? 'agent' : report.step} ${report.name}` : report.step;
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
  } else if (error instanceof McpgwError) {
    io.error(error.message, error.hint);
  } else {
    io.error(
      `unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      'this is a bug in mcpgw-creds: please report it with the command you ran (the output above is free of secrets)',
    );
  }
}

const RENEWAL: Record<TokenStatus['renewal'], string> = {
  client_credentials: 'yes, re-issued with client credentials',
  refresh_token: 'yes, with its refresh token',
  sign_in: 'no: a new sign-in is needed (no refresh token)',
};

const title = (token: Pick<TokenStatus, 'kind' | 'name'>): string => (token.kind === 'ingress' ? 'ingress' : `${token.kind} ${token.name}`);

/** `status`: the stored tokens on stdout, as a listing or `--json`. */
export function printStatus(io: Io, report: StatusReport, options: { cwd: string; json: boolean; check: boolean }): void {
  if (options.json) {
    const { tokensDir, store, tokens, expiring } = report;
    io.out(
      JSON.stringify(
        { tokens_dir: tokensDir, store, tokens, ...(options.check ? { expiring: expiring.map((t) => t.file) } : {}) },
        null,
        2,
      ) + '\n',
    );
    return;
  }
  if (report.tokens.length === 0) {
    io.out(`No tokens in ${displayPath(report.tokensDir, options.cwd)}. Run mcpgw-creds to get them.\n`);
    return;
  }
  const lines: string[] = [];
  for (const token of report.tokens) {
    const when = token.expires_in > 0 ? `expires ${relativeTime(token.expires_in)}` : `EXPIRED ${relativeTime(token.expires_in)}`;
    lines.push(`${title(token)} (${token.provider}): ${when}, ${token.expires_at_human}`);
    if (token.scope) lines.push(`  scope:    ${token.scope}`);
    if (token.groups_unverified)
      lines.push(`  groups:   ${token.groups_unverified.join(', ') || '(none)'}   (read from the token, not verified)`);
    lines.push(`  renewal:  ${RENEWAL[token.renewal]}`);
    lines.push(`  file:     ${displayPath(token.file, options.cwd)}${report.store === 'keychain' ? ' (tokens in the OS keychain)' : ''}`);
  }
  io.out(lines.join('\n') + '\n');
}

/** What `status --check` says of the tokens that expire within the buffer. */
export function expiringMessage(expiring: readonly TokenStatus[], bufferSeconds: number): { message: string; hint: string } {
  const one = expiring.length === 1;
  return {
    message: `${expiring.length} token${one ? '' : 's'} expire${one ? 's' : ''} within ${bufferSeconds} s: ${expiring.map(title).join(', ')}`,
    hint: 'run mcpgw-creds refresh (or mcpgw-creds for a new sign-in)',
  };
}

/**
 * The watcher's log: one line per action (a renewal, a failure, configurations rewritten), each
 * with its time; tokens found fresh are quiet.
 */
export function printWatchEvent(io: Io, event: WatchEvent, nowMs: number): void {
  const log = (line: string): void => io.info(`${new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, 'Z')} ${line}`);
  switch (event.type) {
    case 'started':
      log(
        `watching ${event.dir}: renewing tokens within ${event.bufferSeconds} s of expiry (or at half their life), checking at least every ${event.intervalSeconds} s`,
      );
      break;
    case 'outcome': {
      const entry = stepReport(event.outcome);
      const label = entry.name ? `${entry.step === 'agents' ? 'agent' : entry.step} ${entry.name}` : entry.step;
      if (entry.status === 'ok' && entry.step === 'render') {
        if (entry.changed) log(`render: rewrote ${entry.files?.length ?? 0} configurations`);
      } else if (entry.status === 'ok')
        log(`${label}: renewed${entry.via === 'refresh' ? ' with its refresh token' : ''}, expires ${entry.expires_at_human ?? '?'}`);
      else if (entry.status === 'failed')
        log(`${label}: ${entry.error?.message ?? 'failed'}${entry.error?.hint ? ` (${entry.error.hint})` : ''}`);
      break;
    }
    case 'round-failed': {
      const problem = errorReport(event.error);
      log(`${problem.message}${problem.hint ? ` (${problem.hint})` : ''}; next try in ${event.retrySeconds} s`);
      break;
    }
    case 'unavailable':
      log(`an identity provider is unavailable: next try in ${event.retrySeconds} s`);
      break;
    case 'sleeping':
      io.detail(`next check in ${event.seconds} s`);
      break;
    case 'stopping':
      log(`${event.signal}: stopping`);
      break;
    case 'stopped':
      log('stopped');
      break;
  }
}

/** `keycloak create-agent`, `rotate-secret`, `delete-agent`: a line for people, or `--json`. */
export function printAgentChange(
  io: Io,
  change:
    | { action: 'created'; result: AgentWritten & { created: boolean; groups: string[] } }
    | { action: 'rotated'; result: AgentWritten }
    | { action: 'deleted'; result: { agentId: string; clientId: string; realm: string; deleted: boolean } },
  options: { cwd: string; json: boolean },
): void {
  const { paint } = io;
  const label = paint.bold(`agent ${change.result.agentId}`);
  if (change.action === 'created') {
    const { result } = change;
    io.info(
      `${paint.ok('✔')} ${label}: ${result.created ? 'created' : 'updated'} the client ${result.clientId} in the realm ${result.realm}; ` +
        `its service account is in ${result.groups.join(', ')} → ${displayPath(result.file, options.cwd)}`,
    );
    io.info(`  next: mcpgw-creds --agents-only gets its token`);
    if (options.json)
      io.out(
        JSON.stringify(
          { agent_id: result.agentId, client_id: result.clientId, created: result.created, groups: result.groups, file: result.file },
          null,
          2,
        ) + '\n',
      );
  } else if (change.action === 'rotated') {
    const { result } = change;
    io.info(`${paint.ok('✔')} ${label}: new client secret → ${displayPath(result.file, options.cwd)}; the old one no longer works`);
    if (options.json) io.out(JSON.stringify({ agent_id: result.agentId, client_id: result.clientId, file: result.file }, null, 2) + '\n');
  } else {
    const { result } = change;
    const what = result.deleted
      ? `deleted the client ${result.clientId}`
      : `no client ${result.clientId} in the realm ${result.realm} (already gone)`;
    io.info(`${paint.ok('✔')} ${label}: ${what}; removed its local files`);
    if (options.json)
      io.out(JSON.stringify({ agent_id: result.agentId, client_id: result.clientId, deleted: result.deleted }, null, 2) + '\n');
  }
}

/** `keycloak list-agents`: a table, or `--json`. */
export function printAgentList(
  io: Io,
  listing: { realm: string; agents: Array<AgentState & { localFile: string | undefined }> },
  options: { json: boolean },
): void {
  const agents = listing.agents.map((agent) => ({
    agent_id: agent.agentId,
    client_id: agent.clientId,
    enabled: agent.enabled,
    groups: agent.groups,
    local_file: agent.localFile ?? null,
  }));
  if (options.json) {
    io.out(JSON.stringify({ realm: listing.realm, agents }, null, 2) + '\n');
    return;
  }
  if (agents.length === 0) {
    io.info(`no agent clients (agent-*-m2m) in the realm ${listing.realm}`);
    return;
  }
  const rows = [
    ['AGENT', 'CLIENT', 'ENABLED', 'GROUPS', 'LOCAL FILE'],
    ...agents.map((a) => [a.agent_id, a.client_id, a.enabled ? 'yes' : 'no', a.groups.join(',') || '-', a.local_file ? 'yes' : 'no']),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  io.out(
    rows
      .map((row) =>
        row
          .map((cell, column) => cell.padEnd(widths[column] ?? 0))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n',
  );
}
