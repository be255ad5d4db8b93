import {
  BrowserTimeoutError,
  ConfigError,
  GatewayRefusedError,
  GatewayUnavailableError,
  IdpUnavailableError,
  OAuthError,
  UsageError,
} from '../errors.js';
import { isFailed, type Outcome } from '../usecases/outcome.js';

/** The exit statuses. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  oauth: 3,
  unavailable: 4,
  browserTimeout: 5,
} as const;

function statusOfError(error: unknown): number {
  if (error instanceof UsageError || error instanceof ConfigError) return EXIT.usage;
  if (error instanceof OAuthError || error instanceof GatewayRefusedError) return EXIT.oauth;
  if (error instanceof IdpUnavailableError || error instanceof GatewayUnavailableError) return EXIT.unavailable;
  if (error instanceof BrowserTimeoutError) return EXIT.browserTimeout;
  // StoreError, FlowError, ExpiringTokensError, and anything unexpected.
  return EXIT.failure;
}

/**
 * The exit status of what a command ended with: an error (its class decides), or the outcomes of
 * its steps, `Outcome[]` (the first failure's status; 0 when none failed).
 *
 * | status | meaning |
 * |---|---|
 * | 0 | every requested step succeeded |
 * | 2 | usage or configuration error, found before any network call |
 * | 3 | the identity provider refused with an OAuth error answer; the gateway refused (401, 403) |
 * | 4 | the identity provider or the gateway could not be reached, timed out, answered 5xx (or not OAuth) |
 * | 5 | the browser step was not completed in time |
 * | 1 | anything else |
 */
export function exitStatus(result: unknown): number {
  if (Array.isArray(result)) {
    const failure = (result as readonly Outcome[]).find(isFailed);
    return failure ? statusOfError(failure.error) : EXIT.ok;
  }
  return statusOfError(result);
}
