import { McpgwError } from '../errors.js';

/** SPEC §3 exit statuses. */
export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  oauth: 3,
  unavailable: 4,
  browserTimeout: 5,
} as const;

/** The exit status for an error: ours carry it, anything else is an unexpected failure (1). */
export function exitCodeOf(error: unknown): number {
  return error instanceof McpgwError ? error.exitCode : EXIT.failure;
}

/** A short, stable code for `--json`: ours carry one; anything else is `internal`. */
export function errorCodeOf(error: unknown): string {
  return error instanceof McpgwError ? error.code : 'internal';
}
