import type { WatchEvent } from '../../usecases/watch.js';
import type { Io } from '../io.js';
import { errorReport, labelOf, stepReport } from './steps.js';

/**
 * The watcher's log: one line per action (a renewal, a failure, configurations rewritten), each
 * with its time; tokens found fresh are quiet, and a failure that repeats unchanged round after
 * round is said once (with what to do), then only the next retry.
 */
export function watchLog(io: Io, nowMs: () => number): (event: WatchEvent) => void {
  const lastFailure = new Map<string, string>();
  const log = (line: string): void => io.info(`${new Date(nowMs()).toISOString().replace(/\.\d{3}Z$/, 'Z')} ${line}`);
  return (event) => {
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
        } else if (entry.status === 'ok') {
          lastFailure.delete(label);
          log(`${label}: renewed${entry.via === 'refresh' ? ' with its refresh token' : ''}, expires ${entry.expires_at_human ?? '?'}`);
        } else if (entry.status === 'failed') {
          const line = `${label}: ${entry.error?.message ?? 'failed'}${entry.error?.hint ? ` (${entry.error.hint})` : ''}`;
          if (lastFailure.get(label) !== line) log(line);
          lastFailure.set(label, line);
        }
        break;
      }
      case 'round-failed': {
        const problem = errorReport(event.error);
        log(`${problem.message}${problem.hint ? ` (${problem.hint})` : ''}; next try in ${event.retrySeconds} s`);
        break;
      }
      case 'backing-off':
        log(`${event.unavailable ? 'an identity provider is unavailable' : 'a renewal failed'}: next try in ${event.retrySeconds} s`);
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
  };
}
