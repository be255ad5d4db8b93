/**
 * The small interfaces through which use cases and flows touch the world. The CLI wires the real
 * ones once (`cli/wire.ts`); tests hand in their own.
 */

/** The clock, so tests and flows agree on "now". Milliseconds since the epoch. */
export interface Clock {
  now(): number;
}

/** Something shown while a step waits; stopped when the step ends. */
export interface Progress {
  stop(): void;
}

/** Where use cases and flows say what they do; the CLI prints it on stderr. */
export interface Log {
  info(message: string): void;
  /** Shown at every verbosity, --quiet too: what a person must act on (a sign-in URL, a device code). */
  notice(message: string): void;
  /** Only with --verbose. */
  detail(message: string): void;
  warn(message: string): void;
  /** A warning shown at most once in this process (configuration warnings, which each plan repeats). */
  warnOnce(message: string): void;
  /** A spinner while something slow runs, where the output is a terminal; otherwise nothing. */
  progress(message: string): Progress;
}

/** The system browser. */
export interface Browser {
  open(url: string): Promise<void>;
}

/**
 * Questions on the terminal: asked on stderr, answered on stdin. Only present when a person can
 * answer (both are terminals, CI is not set).
 */
export interface Terminal {
  /** Answers to the same question, until `signal` aborts or stdin ends. */
  lines(question: string, signal: AbortSignal): AsyncIterable<string>;
  /** One choice from a numbered list. */
  choose<T>(question: string, options: ReadonlyArray<{ label: string; value: T }>): Promise<T>;
}

/** Requests to stop the process (SIGINT, SIGTERM), for long-running commands. */
export interface Signals {
  /** Calls `handler` with the signal's name on each request; returns the unsubscribe function. */
  onStop(handler: (signal: string) => void): () => void;
}

/** Where users' files are on this system (client configurations live there). */
export interface SystemPaths {
  home: string;
  platform: NodeJS.Platform;
  /** The process environment: APPDATA, XDG_CONFIG_HOME, CODEX_HOME and the like. */
  env: Readonly<Record<string, string | undefined>>;
  /** This user's id, where the system has one (not on Windows). */
  uid: number | undefined;
}

/** How files written by mcpgw-creds run it again (Claude Code's headersHelper): absolute paths. */
export interface ProgramPaths {
  /** The Node.js executable. */
  node: string;
  /** The package's entry script. */
  script: string;
}

/** One answer a setup asks for: the variable it becomes, how it is asked, what Enter gives. */
export interface Question {
  variable: string;
  message: string;
  /** Offered as the answer; Enter takes it. */
  default?: string | undefined;
  /** May be left empty (then not written). */
  optional?: boolean;
}

export interface Choice<T extends string> {
  value: T;
  name: string;
}

/**
 * How `init` gets its answers: from a person at a terminal (adapters/prompts.ts), or, without one,
 * from flags and the environment (usecases/init/prompter.ts), which never asks and names every
 * missing answer at once.
 */
export interface Prompter {
  readonly interactive: boolean;
  /** `preset`: the answer the flags gave (a script's answer; a person's default). */
  select<T extends string>(message: string, choices: ReadonlyArray<Choice<T>>, variable: string, preset?: string): Promise<T>;
  /** Undefined: an optional question left empty. */
  input(question: Question): Promise<string | undefined>;
  /** Hidden input; never echoed. */
  secret(message: string, variable: string): Promise<string>;
  confirm(message: string, fallback: boolean): Promise<boolean>;
  checkbox<T extends string>(message: string, choices: ReadonlyArray<Choice<T>>): Promise<T[]>;
  /** Throws one UsageError naming every answer that was missing (scripted); nothing for a person. */
  complete(): void;
}
