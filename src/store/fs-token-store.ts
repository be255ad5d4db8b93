import { constants } from 'node:fs';
import { chmod, lstat, mkdir, open, readdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from '../errors.js';
import { lockOf } from './layout.js';
import { serializeJson, type TokenStore } from './token-store.js';

export interface FsTokenStoreOptions {
  /** Told when a looser directory is narrowed, or a file is unreadable. */
  warn: (message: string) => void;
  /** How long to wait for another run's lock before giving up. */
  lockWaitMs?: number;
  /**
   * The user the directory and every file must belong to (this process's uid); undefined where
   * the system has no such notion (Windows), and then owners and modes are not checked.
   */
  owner: number | undefined;
}

const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Token files on disk: the directory at mode 700, each file written to a temporary file created at
 * mode 600 and renamed over the old one (write-file-atomic), never through a symbolic link, each
 * read-modify-write under a lock (proper-lockfile).
 *
 * Nothing is trusted that another user could have put there: the directory must not be a symbolic
 * link and must belong to this user (a looser mode is narrowed, with a warning); a file read must
 * belong to this user and be readable and writable by nobody else. Otherwise the read fails,
 * naming the file and what to do.
 */
export class FsTokenStore implements TokenStore {
  readonly dir: string;
  readonly #warn: (message: string) => void;
  readonly #lockWaitMs: number;
  readonly #owner: number | undefined;
  #prepared: Promise<void> | undefined;
  #checked: Promise<boolean> | undefined;

  constructor(dir: string, options: FsTokenStoreOptions) {
    this.dir = dir;
    this.#warn = options.warn;
    this.#lockWaitMs = options.lockWaitMs ?? 60_000;
    this.#owner = options.owner;
  }

  pathOf(name: string): string {
    if (!FILE_NAME.test(name) || name.includes('..')) {
      throw new StoreError(`"${name}" is not a token file name`);
    }
    return path.join(this.dir, name);
  }

  async readText(name: string): Promise<string | undefined> {
    const file = this.pathOf(name);
    if (!(await this.#checkDir())) return undefined;
    try {
      // O_NOFOLLOW: a symbolic link planted in place of a token file is refused, not followed.
      const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
      try {
        this.#refuseForeign(file, await handle.stat());
        return await handle.readFile('utf8');
      } finally {
        await handle.close();
      }
    } catch (error) {
      if (error instanceof StoreError) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return undefined;
      if (code === 'ELOOP') throw symlinkError(file);
      throw new StoreError(`cannot read ${file}: ${code ?? String(error)}`, {
        hint: 'check the permissions of the tokens directory',
        cause: error,
      });
    }
  }

  async readJson(name: string): Promise<unknown> {
    const text = await this.readText(name);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      this.#warn(`${this.pathOf(name)} is not valid JSON; it will be replaced`);
      return undefined;
    }
  }

  async writeJson(name: string, value: unknown): Promise<string> {
    const file = this.pathOf(name);
    await this.#prepare();
    await this.#refuseUnsafeTarget(file);
    // Loaded on first write: runs that only read tokens never pay for it.
    const { default: writeFileAtomic } = await import('write-file-atomic');
    // A fresh options object each time: write-file-atomic fills in missing fields.
    await writeFileAtomic(file, serializeJson(value), { mode: 0o600 });
    return file;
  }

  async list(): Promise<string[]> {
    if (!(await this.#checkDir())) return [];
    let entries;
    try {
      entries = await readdir(this.dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new StoreError(`cannot list ${this.dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        cause: error,
      });
    }
    return entries
      .filter((entry) => entry.isFile() && FILE_NAME.test(entry.name))
      .map((entry) => entry.name)
      .sort();
  }

  async remove(name: string): Promise<void> {
    if (!(await this.#checkDir())) return;
    try {
      await unlink(this.pathOf(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }

  async withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    const file = this.pathOf(name);
    await this.#prepare();
    const interval = 100;
    const { default: lockfile } = await import('proper-lockfile');
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(
        file,
        this.#lockOptions(file, { retries: Math.ceil(this.#lockWaitMs / interval), minTimeout: interval, maxTimeout: interval, factor: 1 }),
      );
    } catch (error) {
      throw new StoreError(`another mcpgw-creds run has held the lock on ${file} for over ${Math.round(this.#lockWaitMs / 1000)} s`, {
        hint: `wait for it to finish; if no other run is going on, remove ${lockOf(file)}`,
        cause: error,
      });
    }
    try {
      return await work();
    } finally {
      await release().catch(() => undefined);
    }
  }

  async hold(name: string): Promise<(() => Promise<void>) | undefined> {
    const file = this.pathOf(name);
    await this.#prepare();
    const { default: lockfile } = await import('proper-lockfile');
    try {
      return await lockfile.lock(file, this.#lockOptions(file, 0));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return undefined;
      throw error;
    }
  }

  /**
   * A lock is a directory beside the file, refreshed every 2 s while held; one not refreshed for
   * 10 s (its holder died) is taken over.
   */
  #lockOptions(file: string, retries: import('proper-lockfile').LockOptions['retries']): import('proper-lockfile').LockOptions {
    return {
      realpath: false,
      lockfilePath: lockOf(file),
      stale: 10_000,
      update: 2_000,
      retries,
      onCompromised: (error) => this.#warn(`the lock on ${file} was lost (${error.message}); another run may write at the same time`),
    };
  }

  /** Creates the directory at 700 if need be, then checks it. Once per store. */
  #prepare(): Promise<void> {
    this.#prepared ??= (async () => {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      this.#checked = undefined;
      await this.#checkDir();
    })();
    return this.#prepared;
  }

  /**
   * Checks the directory before anything in it is read: false when there is none yet; a symbolic
   * link or another user's directory is refused; a looser mode is narrowed to 700, with a warning.
   */
  #checkDir(): Promise<boolean> {
    this.#checked ??= (async () => {
      let info;
      try {
        info = await lstat(this.dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw new StoreError(`cannot read ${this.dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
      }
      if (info.isSymbolicLink()) {
        throw new StoreError(`the tokens directory ${this.dir} is a symbolic link; mcpgw-creds never follows one there`, {
          hint: 'pass the real directory with --tokens-dir (or MCPGW_TOKENS_DIR), or remove the link',
        });
      }
      if (!info.isDirectory()) throw new StoreError(`${this.dir} is not a directory`, { hint: 'pass another --tokens-dir' });
      if (this.#owner !== undefined && info.uid !== this.#owner) {
        throw new StoreError(`the tokens directory ${this.dir} belongs to another user (uid ${info.uid})`, {
          hint: 'use a tokens directory of your own: --tokens-dir or MCPGW_TOKENS_DIR',
        });
      }
      if (this.#owner !== undefined && (info.mode & 0o077) !== 0) {
        await chmod(this.dir, 0o700);
        this.#warn(
          `${this.dir} was open to others (mode ${(info.mode & 0o777).toString(8)}); narrowed to 700. ` +
            'Tokens written while it was open may have been read: consider them exposed',
        );
      }
      return true;
    })();
    return this.#checked;
  }

  /** A file another user owns, or others may read or write, is not ours to trust. */
  #refuseForeign(file: string, info: { uid: number; mode: number; isFile(): boolean }): void {
    if (!info.isFile()) throw new StoreError(`${file} is not a regular file`, { hint: 'remove it and run again' });
    if (this.#owner === undefined) return;
    if (info.uid !== this.#owner) {
      throw new StoreError(`${file} belongs to another user (uid ${info.uid}); it was not written by you and is not trusted`, {
        hint: `remove it (rm ${file}) and run again`,
      });
    }
    if ((info.mode & 0o077) !== 0) {
      throw new StoreError(`${file} can be read or written by others (mode ${(info.mode & 0o777).toString(8)}), so it is not trusted`, {
        hint: `if you made it so, chmod 600 ${file}; if not, remove it and consider what it held exposed`,
      });
    }
  }

  async #refuseUnsafeTarget(file: string): Promise<void> {
    let info;
    try {
      info = await lstat(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw error;
    }
    if (info.isSymbolicLink()) throw symlinkError(file);
    if (!info.isFile()) throw new StoreError(`${file} exists and is not a regular file`, { hint: 'remove it and run again' });
  }
}

function symlinkError(file: string): StoreError {
  return new StoreError(`${file} is a symbolic link; mcpgw-creds never reads or writes token files through links`, {
    hint: 'remove the link (its target is left untouched) and run again',
  });
}
