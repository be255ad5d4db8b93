import { networkErrorCode } from '../../oauth/http.js';

/** An answer to a bounded GET: its status, its Date header, and its body when JSON. */
export interface Answer {
  status: number;
  date: number | undefined;
  json: unknown;
}

/** One GET, no retry, bounded in time: `doctor` reports what happened instead of waiting on it. */
export async function boundedGet(fetchImpl: typeof fetch, url: string, timeoutMs: number): Promise<Answer> {
  const response = await fetchImpl(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  const text = await response.text().catch(() => '');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  const date = response.headers.get('date');
  return { status: response.status, date: date ? Date.parse(date) : undefined, json };
}

/** Why a request failed, in a few words: the system error code (ECONNREFUSED, ...) when there is one. */
export function failureOf(error: unknown): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return 'no answer in time';
  return networkErrorCode(error) ?? (error instanceof Error ? error.message : String(error));
}
