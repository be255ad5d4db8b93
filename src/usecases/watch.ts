import { ConfigError, FlowError, IdpUnavailableError } from '../errors.js';
import { WATCHER_FILE } from '../store/layout.js';
import type { Deps } from './deps.js';
import { isFailed, type Outcome } from './outcome.js';
import { refreshRound } from './refresh.js';

export interface WatchInput {
  bufferSeconds: number;
  /** Check at least this often (seconds); also the longest backoff. */
  intervalSeconds: number;
  force: boolean;
  /** Reads the configuration (and the provider definitions) again: called before each round. */
  reload: Reload;
  onEvent: (event: WatchEvent) => void;
}

/** The configuration read again, with its provider catalogue. */
export type Reload = () => Pick<Deps, 'config' | 'providers'>;

export type WatchEvent =
  | { type: 'started'; dir: string; bufferSeconds: number; intervalSeconds: number }
  | { type: 'outcome'; outcome: Outcome }
  | { type: 'round-failed'; error: unknown; retrySeconds: number }
  /** A renewal failed (`unavailable`: an identity provider could not be reached): the next round waits longer each time. */
  | { type: 'backing-off'; retrySeconds: number; unavailable: boolean }
  | { type: 'sleeping'; seconds: number }
  | { type: 'stopping'; signal: string }
  | { type: 'stopped' };

/**
 * The configuration for the next round: read again, so that an edited `.env` or provider file takes
 * effect without a restart. The tokens directory and the store are the watcher's for its whole life:
 * a configuration that names others fails the round (and is read again at the next).
 */
function nextRound(deps: Deps, reload: Reload, stop: AbortSignal): Deps {
  const next = reload();
  const now = deps.config.settings;
  const then = next.config.settings;
  if (then.tokensDir !== now.tokensDir || then.store !== now.store) {
    throw new ConfigError(
      `the configuration now names the tokens directory ${then.tokensDir} (store ${then.store}); this watcher keeps ${now.tokensDir}`,
      {
        hint: 'restart the watcher to watch the new one',
      },
    );
  }
  // A stop request aborts the round's requests (and their retries): a hanging provider must not
  // keep the watcher alive for its whole timeout.
  const fetch: typeof globalThis.fetch = (input, init) =>
    deps.fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, stop]) : stop });
  return { ...deps, ...next, fetch };
}

/**
 * The long-lived service: a refresh round, then sleep until the earliest token is due (at most the
 * interval), backing off (5 s, 10 s, ... up to the interval) while a renewal fails, whether the
 * identity provider is down or refuses.
 * Each round reads the configuration again (see nextRound). One watcher per tokens directory: a
 * second one throws, naming the first, and kills nothing. A stop request (SIGINT, SIGTERM) ends it
 * after the current round.
 */
export async function watch(deps: Deps, input: WatchInput): Promise<void> {
  const { store } = deps;
  const release = await store.hold(WATCHER_FILE);
  if (!release) {
    const other = (await store.readJson(WATCHER_FILE).catch(() => undefined)) as { pid?: number; started_at?: string } | undefined;
    throw new FlowError(
      'watcher_running',
      `another watcher is already running for ${store.dir}${other?.pid ? ` (pid ${other.pid}, since ${other.started_at ?? '?'})` : ''}; this one exits`,
      'one watcher per tokens directory is enough; stop that one first if you want this one',
    );
  }
  await store.writeJson(WATCHER_FILE, { pid: deps.pid, started_at: new Date(deps.clock.now()).toISOString() });

  // Aborted on the first stop request: ends the sleep, and the loop after the current round.
  const stop = new AbortController();
  const stopped = (): boolean => stop.signal.aborted;
  const unsubscribe = deps.signals.onStop((signal) => {
    if (!stopped()) input.onEvent({ type: 'stopping', signal });
    stop.abort();
  });
  input.onEvent({ type: 'started', dir: store.dir, bufferSeconds: input.bufferSeconds, intervalSeconds: input.intervalSeconds });

  const interval = input.intervalSeconds;
  let failures = 0;
  try {
    while (!stopped()) {
      let delay: number;
      try {
        const round = await refreshRound(nextRound(deps, input.reload, stop.signal), {
          bufferSeconds: input.bufferSeconds,
          force: input.force,
          progress: false,
          // What a stop request aborted is not news.
          onOutcome: (outcome) => {
            if (!(stopped() && outcome.status === 'failed')) input.onEvent({ type: 'outcome', outcome });
          },
        });
        const failed = round.outcomes.filter(isFailed);
        if (failed.length > 0) {
          // Refused or unreachable alike: 5 s, 10 s, 20 s ... up to the interval, never a flood.
          failures++;
          delay = Math.min(interval, 5 * 2 ** (failures - 1));
          const unavailable = failed.some((outcome) => outcome.error instanceof IdpUnavailableError);
          if (!stopped()) input.onEvent({ type: 'backing-off', retrySeconds: delay, unavailable });
        } else {
          failures = 0;
          delay = Math.min(interval, Math.max(1, Math.ceil(round.nextRenewalSeconds ?? interval)));
          if (!stopped()) input.onEvent({ type: 'sleeping', seconds: delay });
        }
      } catch (error) {
        // A configuration broken while watching (an edited .env): say so, and look again later.
        failures = 0;
        delay = interval;
        input.onEvent({ type: 'round-failed', error, retrySeconds: delay });
        if (!stopped()) input.onEvent({ type: 'sleeping', seconds: delay });
      }
      if (stopped()) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay * 1000);
        stop.signal.addEventListener(
          'abort',
          () => {
            clearTimeout(timer);
            resolve();
          },
          { once: true },
        );
      });
    }
  } finally {
    unsubscribe();
    await store.remove(WATCHER_FILE).catch(() => undefined);
    await release();
  }
  input.onEvent({ type: 'stopped' });
}
