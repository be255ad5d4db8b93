import type { Readable, Writable } from 'node:stream';
import type { Log, Progress } from '../ports.js';
import { SecretRegistry } from '../secrets.js';

/** How much goes to stderr: `quiet` keeps warnings and errors, `verbose` adds details. */
type Verbosity = 'quiet' | 'normal' | 'verbose';

interface Paint {
  ok(text: string): string;
  bad(text: string): string;
  warn(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

/**
 * The process's streams as the commands see them: stdout for data only, stderr for everything else,
 * every line passed through the secret redactor and made printable first (see `printable`).
 * Colour and spinners are decided once, here.
 */
export interface Io extends Log {
  readonly stdin: Readable;
  readonly stderr: Writable;
  /** stdout itself, for a command whose stdout is a protocol (the bridge): nothing else may write there. */
  readonly stdout: Writable;
  /** Data: `--json`, `--help`, listings. Redacted like everything else. */
  out(text: string): void;
  /** A secret printed on purpose: `token` and `headers` only. Never redacted. */
  outSecret(text: string): void;
  /** An error, and what to do about it; printed at every verbosity. */
  error(text: string, hint?: string): void;
  readonly paint: Paint;
  readonly colour: boolean;
  /** True when a person can answer a question: stdin and stderr are terminals and CI is not set. */
  readonly canPrompt: boolean;
  verbosity: Verbosity;
  /** The registry every printed line is redacted with. */
  readonly secrets: SecretRegistry;
  /** A line for stderr: secrets redacted, control characters made visible. */
  redact(text: string): string;
}

export interface IoOptions {
  stdin?: Readable & { isTTY?: boolean };
  stdout?: Writable & { isTTY?: boolean };
  stderr?: Writable & { isTTY?: boolean };
  env?: NodeJS.ProcessEnv;
}

const plain: Paint = { ok: (t) => t, bad: (t) => t, warn: (t) => t, dim: (t) => t, bold: (t) => t };

export function isCi(env: NodeJS.ProcessEnv): boolean {
  return env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
}

// C0 controls but newline and tab, DEL, C1 controls, and the bidirectional overrides that can make a
// line read other than it is ("Trojan Source").
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNPRINTABLE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- the escape that starts a colour sequence
const SGR = /\x1b\[[0-9;]*m/g;

/**
 * Text made safe for a terminal: control characters become visible escapes (`\x1b`), so a string
 * from an identity provider or a callback cannot clear the screen, retitle the window or write the
 * clipboard (OSC 52). With colour on, the colour sequences (SGR) are kept, and only those.
 */
export function printable(text: string, keepColour: boolean): string {
  const escape = (part: string): string =>
    part.replace(UNPRINTABLE, (c) => {
      const code = c.charCodeAt(0);
      return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
    });
  if (!keepColour) return escape(text);
  let result = '';
  let last = 0;
  for (const match of text.matchAll(SGR)) {
    result += escape(text.slice(last, match.index)) + match[0];
    last = match.index + match[0].length;
  }
  return result + escape(text.slice(last));
}

/** Colour only for a person at a terminal: never with NO_COLOR, in CI, on a dumb terminal or a pipe. */
export function wantsColour(env: NodeJS.ProcessEnv, stderrIsTty: boolean): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (isCi(env)) return false;
  if (env.TERM === 'dumb') return false;
  return stderrIsTty;
}

/**
 * Builds the Io. chalk and ora load only when stderr is a colour terminal, so pipes and CI pay
 * nothing for them.
 */
export async function createIo(options: IoOptions = {}): Promise<Io> {
  const stdin = options.stdin ?? process.stdin;
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const env = options.env ?? process.env;
  const stderrIsTty = stderr.isTTY === true;
  const colour = wantsColour(env, stderrIsTty);
  let paint = plain;
  if (colour) {
    const { Chalk } = await import('chalk');
    const chalk = new Chalk({ level: 1 });
    paint = { ok: chalk.green, bad: chalk.red, warn: chalk.yellow, dim: chalk.dim, bold: chalk.bold };
  }
  const secrets = new SecretRegistry();
  const redact = (text: string): string => printable(secrets.redact(text), colour);
  let activeSpinner: { clear(): void; render(): void } | undefined;
  const warned = new Set<string>();
  const writeErr = (text: string): void => {
    activeSpinner?.clear();
    stderr.write(redact(text) + '\n');
    activeSpinner?.render();
  };

  const io: Io = {
    stdin,
    stderr,
    stdout,
    out: (text) => void stdout.write(printable(secrets.redact(text), false)),
    outSecret: (text) => void stdout.write(text),
    info: (text) => {
      if (io.verbosity !== 'quiet') writeErr(text);
    },
    notice: (text) => writeErr(text),
    detail: (text) => {
      if (io.verbosity === 'verbose') writeErr(paint.dim(text));
    },
    warn: (text) => writeErr(`${paint.warn('warning:')} ${text}`),
    warnOnce: (text) => {
      if (warned.has(text)) return;
      warned.add(text);
      io.warn(text);
    },
    error: (text, hint) => {
      writeErr(`${paint.bad('error:')} ${text}`);
      if (hint) writeErr(`  ${paint.dim('hint:')} ${hint}`);
    },
    progress: (text) => {
      if (!colour || io.verbosity === 'quiet') return { stop: () => undefined };
      return startSpinner(text, stderr, redact, (s) => (activeSpinner = s));
    },
    paint,
    colour,
    canPrompt: stdin.isTTY === true && stderrIsTty && !isCi(env),
    verbosity: 'normal',
    secrets,
    redact,
  };
  return io;
}

function startSpinner(
  text: string,
  stream: Writable,
  redact: (t: string) => string,
  setActive: (s: { clear(): void; render(): void } | undefined) => void,
): Progress {
  let ora: import('ora').Ora | undefined;
  let stopped = false;
  void import('ora').then(({ default: makeOra }) => {
    if (stopped) return;
    ora = makeOra({ text: redact(text), stream, discardStdin: false }).start();
    setActive(ora);
  });
  return {
    stop: () => {
      stopped = true;
      ora?.stop();
      setActive(undefined);
    },
  };
}
