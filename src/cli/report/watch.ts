import type { WatchEvent } from '../../usecases/watch.js';
import type { Io } from '../io.js';
import { errorReport, labelOf, stepReport } from './steps.js';

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
      const label = labelOf(entry);
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
