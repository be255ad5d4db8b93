/**
 * Where token files live. Names are plain file names inside the tokens directory (never paths).
 */
export interface TokenStore {
  readonly dir: string;
  /** The absolute path of a file in the store. */
  pathOf(name: string): string;
  /** A file's text, or undefined when there is none. */
  readText(name: string): Promise<string | undefined>;
  /** The parsed JSON of a file, or undefined when there is none (or it is not JSON). */
  readJson(name: string): Promise<unknown>;
  /** Replaces a file atomically, mode 600 from its first byte; returns its path. */
  writeJson(name: string, value: unknown): Promise<string>;
  /** The regular files of the store, sorted. */
  list(): Promise<string[]>;
  remove(name: string): Promise<void>;
  /** Runs `work` while holding the lock of that file, so concurrent runs do not interleave. */
  withLock<T>(name: string, work: () => Promise<T>): Promise<T>;
  /**
   * Takes that lock for as long as the caller wants, without waiting: the release function, or
   * undefined when another process holds it. A holder that dies loses it within seconds.
   */
  hold(name: string): Promise<(() => Promise<void>) | undefined>;
}

/** How every store writes JSON: the same value always gives the same bytes. */
export function serializeJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n';
}
