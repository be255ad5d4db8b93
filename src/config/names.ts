import type { Problems } from './problems.js';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/**
 * Provider, server and agent names become parts of file names and URL paths: letters, digits,
 * `.`, `_` and `-` only, at most 64 characters, no leading punctuation.
 */
export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

export function checkName(name: string, variable: string, problems: Problems): string | undefined {
  if (isSafeName(name)) return name;
  problems.add(`${variable} ("${name}") may hold only letters, digits, ".", "_" and "-" (at most 64, starting with a letter or digit)`);
  return undefined;
}

/** Splits a list written with commas and/or spaces; empty items are dropped. */
export function splitList(value: string | undefined): string[] {
  if (!value) return [];
  return value
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter((item) => item !== '');
}
