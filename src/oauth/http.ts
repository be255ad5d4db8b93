/**
 * The transport under openid-client: the process's HTTP transport (node-http-fetch.ts) with bounded retries where
 * they are safe. The overall deadline is the AbortSignal openid-client passes in (its `timeout`),
 * so a server that accepts the connection and never answers ends the request on time, retries
 * included.
 */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /**
   * `idempotent`: the request may be sent again (client credentials, refresh with a reusable
   * token): retry on refused or reset connections, 5xx and 429. `connect-only`: the request must
   * not reach the server twice (an authorization code is single-use): retry only when the
   * connection was never made.
   */
  mode: 'idempotent' | 'connect-only';
  /** The longest Retry-After honoured; a longer one ends the retries. */
  maxRetryAfterMs: number;
  /** Backoff before retry n (1-based) when the server gives no Retry-After. */
  backoffMs: (retry: number) => number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 3,
  mode: 'idempotent',
  maxRetryAfterMs: 10_000,
  backoffMs: (retry) => 250 * 2 ** (retry - 1),
};

const CONNECT_ERRORS = new Set(['ECONNREFUSED', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
const RESET_ERRORS = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED']);

/** The connection was reset or closed mid-request: the server may have seen the request. */
export function isResetError(error: unknown): boolean {
  return RESET_ERRORS.has(networkErrorCode(error) ?? '');
}

/** The system error code under fetch's `TypeError: fetch failed`, if any. */
export function networkErrorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== '') return code;
    current = current.cause;
  }
  return undefined;
}

/** Retry-After as milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function sleep(ms: number, signal: AbortSignal | null | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface FetchLog {
  (message: string): void;
}

export function retryingFetch(base: typeof fetch, policy: RetryPolicy, log: FetchLog = () => {}): typeof fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const method = init?.method ?? 'GET';
    const signal = init?.signal;
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let response: Response;
      try {
        response = await base(input, init);
      } catch (error) {
        if (signal?.aborted) throw error;
        const code = networkErrorCode(error);
        log(`${method} ${url}: ${code ?? 'network error'} (attempt ${attempt})`);
        const retryable = CONNECT_ERRORS.has(code ?? '') || (policy.mode === 'idempotent' && RESET_ERRORS.has(code ?? ''));
        if (attempt >= policy.attempts || !retryable) throw error;
        await sleep(policy.backoffMs(attempt), signal);
        continue;
      }
      log(`${method} ${url}: ${response.status} in ${Date.now() - started} ms (attempt ${attempt})`);
      const transient = response.status === 429 || response.status >= 500;
      if (!transient || policy.mode !== 'idempotent' || attempt >= policy.attempts) return response;
      const wait = retryAfterMs(response.headers.get('retry-after')) ?? policy.backoffMs(attempt);
      if (wait > policy.maxRetryAfterMs) return response;
      await response.body?.cancel().catch(() => undefined);
      await sleep(wait, signal);
    }
  };
}
