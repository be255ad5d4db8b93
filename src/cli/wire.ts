import { canOpenBrowser, systemBrowser } from '../adapters/browser.js';
import { processSignals } from '../adapters/signals.js';
import { systemClock } from '../adapters/system-clock.js';
import { currentUid, homeOf } from '../adapters/user.js';
import { resolveConfig } from '../config/config.js';
import type { ConfigSources } from '../config/settings.js';
import { nodeHttpFetch } from '../oauth/node-http-fetch.js';
import { secretRegisteringFetch } from '../oauth/secret-registering-fetch.js';
import type { Browser, Clock, ProgramPaths, Signals, Terminal } from '../ports.js';
import type { Catalogue } from '../providers/catalogue.js';
import { openTokenStore } from '../store/open-store.js';
import type { Deps } from '../usecases/deps.js';
import type { Reload } from '../usecases/watch.js';
import { isCi, type Io } from './io.js';

/** What the process gives the wiring; tests replace any part. */
export interface Environment {
  cwd: string;
  env: NodeJS.ProcessEnv;
  program: ProgramPaths;
  pid: number;
  platform: NodeJS.Platform;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: node:http (node-http-fetch.ts). */
  fetch?: typeof fetch;
  /** Default: the global fetch (it streams server-sent events). */
  gatewayFetch?: typeof fetch;
  /** Default: the system browser where one can be opened; `null`: none. */
  browser?: Browser | null;
  /** Default: readline on stdin/stderr when a person can answer; `null`: none. */
  terminal?: Terminal | null;
  /** Default: this process's SIGINT and SIGTERM. */
  signals?: Signals;
  /** `files`: plain token files whatever the configuration says (for commands that keep no tokens). */
  storage?: 'files';
}

function once<T>(load: () => Promise<T>): () => Promise<T> {
  let loaded: Promise<T> | undefined;
  return () => (loaded ??= load());
}

/**
 * Builds the dependencies of every use case, once per process: the configuration (its secrets
 * registered for redaction, its warnings shown), the token store, the HTTP transport, the browser
 * and terminal where a person can use them, the clock. The one place where real adapters are
 * chosen, as kubelogin's di.go is.
 */
export async function wire(sources: ConfigSources, io: Io, environment: Environment): Promise<{ deps: Deps; reload: Reload }> {
  // Also what the watcher calls before each round: the configuration read again, with its catalogue.
  const load = (): ReturnType<Reload> => {
    const { config, warnings } = resolveConfig(sources, { cwd: environment.cwd, processEnv: environment.env });
    for (const secret of config.secrets) io.secrets.add(secret.value, secret.minLength);
    for (const warning of warnings) io.warnOnce(warning);
    const providers = once(async (): Promise<Catalogue> =>
      (await import('../providers/catalogue.js')).loadCatalogue(config.settings.providersDir),
    );
    return { config, providers };
  };
  const { config, providers } = load();

  const kind = environment.storage === 'files' ? 'file' : config.settings.store;
  const store = await openTokenStore(
    { tokensDir: config.settings.tokensDir, store: kind },
    { warn: (message) => io.warn(message), secrets: io.secrets, owner: currentUid() },
  );
  const ci = isCi(environment.env);
  const browser =
    environment.browser !== undefined
      ? (environment.browser ?? undefined)
      : !ci && canOpenBrowser(environment.env)
        ? systemBrowser
        : undefined;
  const terminal =
    environment.terminal !== undefined
      ? (environment.terminal ?? undefined)
      : io.canPrompt
        ? (await import('../adapters/terminal.js')).createTerminal(io.stdin, io.stderr)
        : undefined;
  const deps: Deps = {
    config,
    clock: environment.clock ?? systemClock,
    log: io,
    store,
    fetch: secretRegisteringFetch(environment.fetch ?? nodeHttpFetch, io.secrets),
    gatewayFetch: environment.gatewayFetch ?? ((input, init) => fetch(input, init)),
    browser,
    terminal,
    ci,
    providers,
    program: environment.program,
    system: { home: homeOf(environment.env), platform: environment.platform, env: environment.env, uid: currentUid() },
    signals: environment.signals ?? processSignals,
    pid: environment.pid,
  };
  return { deps, reload: load };
}
