import type { CommonFlags } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { egressFile, renewalMargin } from '../../store/records.js';
import { listTokens } from '../../store/token-files.js';
import type { CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { planSteps, type Plan } from '../plan.js';
import { openSettingsAndStore } from '../settings-store.js';
import { errorReport, jsonSummary, printStep, type StepReport } from '../report.js';
import { executeSteps, renderStep } from '../steps.js';

export interface RefreshFlags extends CommonFlags {
  once?: boolean;
  watch?: boolean;
  interval?: number;
  buffer?: number;
  force?: boolean;
  json?: boolean;
}

const WATCHER = 'watcher.json';

interface Round {
  reports: StepReport[];
  exitCode: number;
  /** An identity provider was down (exit 4): the watcher backs off. */
  unavailable: boolean;
  /** Seconds until the earliest token enters its renewal window. */
  nextRenewal: number | undefined;
}

/**
 * One pass (SPEC §8, issue 5): client-credentials tokens re-issued and egress tokens refreshed with
 * their refresh tokens when they expire within the buffer (or at half their life, when that comes
 * later), never a sign-in; then the configurations re-rendered when anything changed.
 */
async function refreshRound(flags: RefreshFlags, cli: CliContext, buffer: number, sink: (report: StepReport) => void): Promise<Round> {
  const reports: StepReport[] = [];
  const report = (entry: StepReport): void => {
    reports.push(entry);
    sink(entry);
  };
  let plan: Plan = await planSteps(flags, cli, { steps: new Set(['ingress', 'agents', 'agentcore', 'egress']) });
  // Egress sets never signed in are not this command's business: it never opens a browser.
  const present = new Set(await plan.store.list());
  for (const { set } of plan.egress) {
    if (!present.has(egressFile(set.provider, set.server))) {
      report({ step: 'egress', name: set.server, status: 'skipped', reason: `not signed in yet: run mcpgw-creds --egress-only --provider ${set.provider}` });
    }
  }
  plan = { ...plan, egress: plan.egress.filter(({ set }) => present.has(egressFile(set.provider, set.server))) };

  await executeSteps(
    plan,
    cli,
    { force: flags.force === true, marginSeconds: buffer, halfLife: true, signIn: false, browser: false, device: false, browserTimeoutSeconds: 0, spinner: !flags.watch },
    report,
  );
  if (reports.some((entry) => entry.status === 'ok' || entry.status === 'cached')) await renderStep(plan, cli, report);
  const failed = reports.find((entry) => entry.status === 'failed');
  const now = Math.floor(cli.clock.now() / 1000);
  const renewals = (await listTokens(plan.store).catch(() => [])).map(({ record }) => record.expires_at - renewalMargin(record, buffer, true) - now);
  return {
    reports,
    exitCode: failed?.error?.exit_code ?? EXIT.ok,
    unavailable: reports.some((entry) => entry.error?.exit_code === EXIT.unavailable),
    nextRenewal: renewals.length > 0 ? Math.min(...renewals) : undefined,
  };
}

/** `mcpgw-creds refresh [--once | --watch] [--interval 300] [--buffer 3600] [--force]`. */
export async function refreshCommand(flags: RefreshFlags, cli: CliContext): Promise<number> {
  if (flags.once && flags.watch) throw new UsageError('--once and --watch exclude each other');
  const buffer = flags.buffer ?? 3600;
  if (!flags.watch) {
    const round = await refreshRound(flags, cli, buffer, (entry) => printStep(cli.io, entry, { cwd: cli.cwd, nowSeconds: Math.floor(cli.clock.now() / 1000) }));
    if (flags.json) cli.io.out(jsonSummary(round.reports, round.exitCode));
    return round.exitCode;
  }
  return watch(flags, cli, buffer);
}

/**
 * The long-lived service: a round, then sleep until the earliest token needs renewal (at most
 * --interval), backing off (5 s, 10 s, ... up to --interval) while an identity provider is down.
 * One watcher per tokens directory: a second one says so and exits, and kills nothing. SIGINT and
 * SIGTERM end it cleanly after the current round.
 */
async function watch(flags: RefreshFlags, cli: CliContext, buffer: number): Promise<number> {
  const { io } = cli;
  const interval = flags.interval ?? 300;
  const { store } = await openSettingsAndStore(flags, cli);
  const release = await store.hold(WATCHER);
  if (!release) {
    const other = (await store.readJson(WATCHER).catch(() => undefined)) as { pid?: number; started_at?: string } | undefined;
    io.error(
      `another watcher is already running for ${store.dir}${other?.pid ? ` (pid ${other.pid}, since ${other.started_at ?? '?'})` : ''}; this one exits`,
      'one watcher per tokens directory is enough; stop that one first if you want this one',
    );
    return EXIT.failure;
  }
  await store.writeJson(WATCHER, { pid: process.pid, started_at: new Date(cli.clock.now()).toISOString() });

  const wake = new AbortController();
  let stopping = false;
  const stop = (signal: string): void => {
    if (!stopping) log(`${signal}: stopping`);
    stopping = true;
    wake.abort();
  };
  const onSigint = (): void => stop('SIGINT');
  const onSigterm = (): void => stop('SIGTERM');
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  const log = (line: string): void => io.info(`${new Date(cli.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z')} ${line}`);
  log(`watching ${store.dir}: renewing tokens within ${buffer} s of expiry (or at half their life), checking at least every ${interval} s`);

  let failures = 0;
  try {
    while (!stopping) {
      let round: Round;
      try {
        round = await refreshRound(flags, cli, buffer, (entry) => {
          // One line per action: a renewal, a failure, configurations rewritten. Reused tokens are quiet.
          const label = entry.name ? `${entry.step === 'agents' ? 'agent' : entry.step} ${entry.name}` : entry.step;
          if (entry.status === 'ok' && entry.step === 'render') {
            if (entry.changed) log(`render: rewrote ${entry.files?.length ?? 0} configurations`);
          } else if (entry.status === 'ok') log(`${label}: renewed${entry.via === 'refresh' ? ' with its refresh token' : ''}, expires ${entry.expires_at_human ?? '?'}`);
          else if (entry.status === 'failed') log(`${label}: ${entry.error?.message ?? 'failed'}${entry.error?.hint ? ` (${entry.error.hint})` : ''}`);
        });
      } catch (error) {
        // A configuration broken while watching (an edited .env): say so, and look again later.
        const problem = errorReport(error);
        log(`${problem.message}${problem.hint ? ` (${problem.hint})` : ''}; next try in ${interval} s`);
        round = { reports: [], exitCode: problem.exit_code, unavailable: false, nextRenewal: interval };
      }
      if (stopping) break;
      let delay: number;
      if (round.unavailable) {
        failures++;
        delay = Math.min(interval, 5 * 2 ** (failures - 1));
        log(`an identity provider is unavailable: next try in ${delay} s`);
      } else {
        failures = 0;
        delay = Math.min(interval, Math.max(1, Math.ceil(round.nextRenewal ?? interval)));
        io.detail(`next check in ${delay} s`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay * 1000);
        wake.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        }, { once: true });
      });
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
    await store.remove(WATCHER).catch(() => undefined);
    await release();
  }
  log('stopped');
  return EXIT.ok;
}
