import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'dotenv';
import { ConfigError } from '../errors.js';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadedEnv {
  /** Process environment over `.env` values: a `.env` value never replaces one already set. */
  env: Env;
  /** The `.env` files that were read, in order. */
  files: string[];
  /** The file each value read from a `.env` file came from (values the environment set are not here). */
  origins: Record<string, string>;
}

/**
 * Reads `.env` files and lays the process environment over them. With `envFiles` those
 * files are read (a later file overrides an earlier one) and each must exist; without, `./.env` is
 * read when present.
 */
export function loadEnv(options: { cwd: string; envFiles: readonly string[]; processEnv: Env; ignoreFiles?: boolean }): LoadedEnv {
  const explicit = options.envFiles.length > 0;
  const candidates = options.ignoreFiles ? [] : explicit ? options.envFiles : ['.env'];
  const fromFiles: Record<string, string> = {};
  const origins: Record<string, string> = {};
  const files: string[] = [];
  for (const candidate of candidates) {
    const file = path.resolve(options.cwd, candidate);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (!explicit && code === 'ENOENT') continue;
      const reason = code === 'ENOENT' ? 'there is no such file' : code === 'EACCES' ? 'permission denied' : (code ?? String(error));
      throw new ConfigError(`cannot read the env file ${candidate}: ${reason}`, {
        hint: 'check the path given to --env-file',
      });
    }
    const values = parse(text);
    Object.assign(fromFiles, values);
    for (const name of Object.keys(values)) origins[name] = file;
    files.push(file);
  }
  const env: Record<string, string | undefined> = { ...fromFiles };
  for (const [key, value] of Object.entries(options.processEnv)) {
    if (value !== undefined) env[key] = value;
  }
  // Only the values a file gave and the environment did not replace.
  const kept = Object.entries(origins).filter(([name]) => options.processEnv[name] === undefined);
  return { env, files, origins: Object.fromEntries(kept) };
}

/** A variable's value, trimmed; empty counts as unset. */
export function getVar(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}
