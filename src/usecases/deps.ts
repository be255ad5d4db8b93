import type { Config } from '../config/config.js';
import type { Browser, Clock, Log, ProgramPaths, Signals, SystemPaths, Terminal } from '../ports.js';
import type { Catalogue } from '../providers/catalogue.js';
import type { TokenStore } from '../store/token-store.js';

/**
 * What every use case works with, built once per process by `cli/wire.ts` (tests build their
 * own). Use cases take the narrowest part they need; none of them touches `process`.
 */
export interface Deps {
  /** The configuration, resolved once. */
  readonly config: Config;
  readonly clock: Clock;
  /** Messages for people (stderr). */
  readonly log: Log;
  /** The token store the configuration names, opened once; it registers every secret it handles. */
  readonly store: TokenStore;
  /** The HTTP transport for identity providers (retries are added per request; answers capped at 1 MB). */
  readonly fetch: typeof fetch;
  /** The HTTP transport to the gateway: streaming (server-sent events), no size cap. */
  readonly gatewayFetch: typeof fetch;
  /** The system browser; undefined where none may be opened (CI, no display). */
  readonly browser: Browser | undefined;
  /** The terminal; undefined unless a person can answer (stdin and stderr are terminals, CI unset). */
  readonly terminal: Terminal | undefined;
  /** CI is set. */
  readonly ci: boolean;
  /** The provider definitions, loaded and checked once, on first use. */
  readonly providers: () => Promise<Catalogue>;
  /** How configurations written here run this program again. */
  readonly program: ProgramPaths;
  /** The home directory, platform and environment, for the clients' own files. */
  readonly system: SystemPaths;
  readonly signals: Signals;
  /** This process's id (the watcher records it). */
  readonly pid: number;
}
