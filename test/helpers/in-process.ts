import { PassThrough, Readable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { createIo } from '../../src/cli/io.js';
import { wire } from '../../src/cli/wire.js';
import type { Browser, Clock, Signals } from '../../src/ports.js';
import type { Deps } from '../../src/usecases/deps.js';
import { signInOverHttp, type SignInResult } from '../drivers/http-browser.js';
import { BIN, expectNoSecrets, secretsOnDisk } from './run-cli.js';

/** A clock the test moves by hand: token files then age without anybody waiting. */
export class TestClock implements Clock {
  #ms: number;
  constructor(start = Date.now()) {
    this.#ms = start;
  }
  now(): number {
    return this.#ms;
  }
  advance(seconds: number): void {
    this.#ms += seconds * 1000;
  }
}

/** Stop requests the test sends itself (SIGINT, SIGTERM), for the watcher. */
export class TestSignals implements Signals {
  readonly #handlers = new Set<(signal: string) => void>();
  onStop(handler: (signal: string) => void): () => void {
    this.#handlers.add(handler);
    return () => this.#handlers.delete(handler);
  }
  send(signal: string): void {
    for (const handler of this.#handlers) handler(signal);
  }
}

/**
 * The browser port played over HTTP (test/drivers/http-browser.ts): `open` starts the sign-in on
 * the provider's login page and returns at once, as a system opener does; `signIns` are the walks.
 */
export class HttpBrowser implements Browser {
  readonly opened: string[] = [];
  readonly signIns: Array<Promise<SignInResult>> = [];
  readonly #callbackOrigin: string;
  readonly #options: { cancel?: boolean };
  constructor(callbackOrigin: string, options: { cancel?: boolean } = {}) {
    this.#callbackOrigin = callbackOrigin;
    this.#options = options;
  }
  async open(url: string): Promise<void> {
    this.opened.push(url);
    const walk = signInOverHttp(url, { callbackOrigin: this.#callbackOrigin, ...this.#options });
    walk.catch(() => undefined);
    this.signIns.push(walk);
  }
}

export interface InProcessOptions {
  cwd: string;
  env?: Record<string, string | undefined>;
  clock?: Clock;
  browser?: Browser | null;
  signals?: Signals;
  /** For commands whose purpose is to print a token: stdout is not scanned. */
  stdoutMayHoldSecrets?: boolean;
  secrets?: string[];
}

export interface InProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

const SECRET_VARIABLE = /SECRET|PASSWORD|TOKEN$/;

/**
 * Runs the CLI's `main` in this process with the given clock and browser: no process start, so a
 * behaviour test costs milliseconds. Nothing comes from the test runner's environment, and every
 * run is scanned for the secrets it was given and those on disk, as the e2e runs are.
 */
export async function runInProcess(args: string[], options: InProcessOptions): Promise<InProcessResult> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const env: NodeJS.ProcessEnv = { HOME: options.cwd };
  for (const [key, value] of Object.entries(options.env ?? {})) if (value !== undefined) env[key] = value;
  const code = await main(['node', BIN, ...args], {
    cwd: options.cwd,
    env,
    stdin: Readable.from([]),
    stdout,
    stderr,
    ...(options.clock ? { clock: options.clock } : {}),
    browser: options.browser ?? null,
    terminal: null,
    ...(options.signals ? { signals: options.signals } : {}),
    program: { node: process.execPath, script: BIN },
    pid: 4242,
  });
  const result = { code, stdout: out, stderr: err };
  const given = Object.entries(options.env ?? {})
    .filter(([key]) => SECRET_VARIABLE.test(key))
    .map(([, value]) => value);
  expectNoSecrets({ ...result, stdout: options.stdoutMayHoldSecrets ? '' : out, ms: 0 }, [
    ...given,
    ...secretsOnDisk(options.cwd),
    ...(options.secrets ?? []),
  ]);
  return result;
}

/** The real wiring (cli/wire.ts) with the test's clock and browser, for calling use cases directly. */
export async function testDeps(options: {
  cwd: string;
  env?: Record<string, string>;
  clock?: Clock;
  browser?: Browser | null;
}): Promise<{ deps: Deps; stderr: () => string }> {
  const stderr = new PassThrough();
  let err = '';
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  const env = { HOME: options.cwd, ...options.env };
  const io = await createIo({ stdin: Readable.from([]), stdout: new PassThrough(), stderr, env });
  const { deps } = await wire({ envFiles: [] }, io, {
    cwd: options.cwd,
    env,
    program: { node: process.execPath, script: BIN },
    pid: 4242,
    platform: process.platform,
    ...(options.clock ? { clock: options.clock } : {}),
    browser: options.browser ?? null,
    terminal: null,
  });
  return { deps, stderr: () => err };
}
