import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** A fresh working directory for one test. */
export function makeWorkdir(prefix = 'mcpgw-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

export function writeEnvFile(file: string, values: Record<string, string | undefined>): void {
  const lines = Object.entries(values)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => `${key}=${value}`);
  writeFileSync(file, lines.join('\n') + '\n', { mode: 0o600 });
}

export function readJson(file: string): Record<string, any> {
  return JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;
}

export function modeOf(file: string): number {
  return statSync(file).mode & 0o777;
}

/** A JWT's payload, decoded without verification (the tests check claims the IdP put there). */
export function jwtClaims(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, any>;
}

/**
 * A token record aged so that it expires in `secondsLeft`, its lifetime unchanged (as if it had been
 * saved earlier): `expires_at` and `saved_at` move together.
 */
export function aged(record: Record<string, any>, secondsLeft: number, changes: Record<string, unknown> = {}): Record<string, any> {
  const shift = record.expires_at - (Math.floor(Date.now() / 1000) + secondsLeft);
  return { ...record, expires_at: record.expires_at - shift, saved_at: record.saved_at - shift, ...changes };
}
