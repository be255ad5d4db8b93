import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(REPO, 'bin', 'mcpgw-creds.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface RunOptions {
  cwd: string;
  /** The whole environment of the child, on top of PATH and HOME: nothing leaks in from the test runner. */
  env?: Record<string, string | undefined>;
  stdin?: string;
  timeoutMs?: number;
  /** For commands whose purpose is to print a token: stdout is not scanned. */
  stdoutMayHoldSecrets?: boolean;
  /** More values that must never be printed (authorization codes, PKCE verifiers, ...). */
  secrets?: string[];
}

const SECRET_VARIABLE = /SECRET|PASSWORD|TOKEN$/;
const SECRET_FIELD = new Set(['access_token', 'refresh_token', 'client_secret', 'id_token']);

/** Every secret-looking value in the JSON files under `dir` (token files, agent files, configs). */
export function secretsOnDisk(dir: string, depth = 3): string[] {
  const found: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        if (SECRET_FIELD.has(key) && typeof item === 'string') found.push(item);
        else if (typeof item === 'string' && /^Bearer .{16,}/.test(item)) found.push(item.slice(7));
        else visit(item);
      }
    }
  };
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory() && depth > 0 && entry.name !== 'node_modules') found.push(...secretsOnDisk(file, depth - 1));
    else if (entry.isFile() && entry.name.endsWith('.json')) {
      try {
        visit(JSON.parse(readFileSync(file, 'utf8')));
      } catch {
        // not JSON: nothing to collect
      }
    }
  }
  return found;
}

export interface RunningCli {
  child: ReturnType<typeof spawn>;
  /** Resolves with the first stderr text that matches. */
  waitForStderr(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** The authorization URL the CLI printed. */
  authorizationUrl(timeoutMs?: number): Promise<string>;
  write(text: string): void;
  done: Promise<CliResult>;
}

/** Starts the built CLI as a user would (stdout and stderr apart) and lets the test talk to it. */
export function startCli(args: string[], options: RunOptions): RunningCli {
  const started = Date.now();
  const nodeDir = path.dirname(process.execPath);
  const env: Record<string, string> = { PATH: `${nodeDir}:${process.env.PATH ?? '/usr/bin:/bin'}`, HOME: options.cwd };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  // Through the bin's shebang, as a user's shell runs it (see the comment in bin/mcpgw-creds.js).
  const child = spawn(BIN, args, { cwd: options.cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const watchers = new Set<() => void>();
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    for (const watcher of watchers) watcher();
  });
  if (options.stdin !== undefined) child.stdin.end(options.stdin);

  const done = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`mcpgw-creds ${args.join(' ')} did not finish in ${options.timeoutMs ?? 60_000} ms\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      const result = { code, stdout, stderr, ms: Date.now() - started };
      // Every run is scanned: the secrets it was given and every token or secret left on disk.
      const given = Object.entries(options.env ?? {})
        .filter(([key]) => SECRET_VARIABLE.test(key))
        .map(([, value]) => value);
      const secrets = [...given, ...secretsOnDisk(options.cwd), ...(options.secrets ?? [])];
      try {
        expectNoSecrets(options.stdoutMayHoldSecrets ? { ...result, stdout: '' } : result, secrets);
      } catch (error) {
        reject(error);
        return;
      }
      resolve(result);
    });
  });
  done.catch(() => undefined);

  const waitForStderr = (pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(stderr);
        if (match) {
          watchers.delete(check);
          clearTimeout(timer);
          resolve(match);
        }
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`stderr never matched ${pattern}:\n${stderr}`));
      }, timeoutMs);
      watchers.add(check);
      check();
    });

  return {
    child,
    waitForStderr,
    authorizationUrl: async (timeoutMs) => (await waitForStderr(/^\s+(https?:\/\/\S+)$/m, timeoutMs))[1] as string,
    write: (text) => child.stdin.write(text),
    done,
  };
}

/** Runs the built CLI to its end. */
export function runCli(args: string[], options: RunOptions): Promise<CliResult> {
  return startCli(args, { ...options, stdin: options.stdin ?? '' }).done;
}

/** No secret the test used may appear in anything the CLI printed. */
export function expectNoSecrets(result: CliResult, secrets: ReadonlyArray<string | undefined>): void {
  for (const secret of secrets) {
    if (!secret) continue;
    expect(result.stdout.includes(secret), `a secret appeared on stdout: ${secret.slice(0, 6)}…`).toBe(false);
    expect(result.stderr.includes(secret), `a secret appeared on stderr: ${secret.slice(0, 6)}…`).toBe(false);
  }
}
