import { StoreError } from '../errors.js';
import { roleOf, TOKEN_SECRET_FIELDS } from './layout.js';
import type { TokenStore } from './token-store.js';

const KEYCHAIN_SERVICE = 'mcpgw-creds';

/** The keytar-compatible API of @napi-rs/keyring, as far as it is used here. */
export interface Keychain {
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Loads @napi-rs/keyring only when the keychain is chosen; says plainly when there is none. */
export async function loadKeychain(): Promise<Keychain> {
  let keychain: Keychain;
  try {
    keychain = await import('@napi-rs/keyring/keytar.js');
  } catch (error) {
    throw unavailable(error);
  }
  // Ask once now, so a missing keychain is reported before any token is requested, not after.
  // (getPassword answers null when there is no Secret Service at all; findCredentials fails.)
  await keychain.findCredentials(KEYCHAIN_SERVICE).catch((error: unknown) => Promise.reject(unavailable(error)));
  return {
    findCredentials: (service) => keychain.findCredentials(service).catch((error: unknown) => Promise.reject(unavailable(error))),
    getPassword: (service, account) => keychain.getPassword(service, account).catch((error: unknown) => Promise.reject(unavailable(error))),
    setPassword: (service, account, password) =>
      keychain.setPassword(service, account, password).catch((error: unknown) => Promise.reject(unavailable(error))),
    deletePassword: (service, account) =>
      keychain.deletePassword(service, account).catch((error: unknown) => Promise.reject(unavailable(error))),
  };
}

function unavailable(error: unknown): StoreError {
  return new StoreError(`the OS keychain is not available (${error instanceof Error ? error.message : String(error)})`, {
    hint: 'keep tokens in files at mode 600 instead (drop --store keychain, or set MCPGW_STORE=file), or start a Secret Service such as gnome-keyring or KWallet',
    cause: error,
  });
}

/**
 * Tokens in the OS keychain (service `mcpgw-creds`, one account per token: the file's path and the
 * field), the rest of each record in its JSON file, which then holds no secret. Files that carry no
 * token (rendered configurations, agent definitions) pass through to the file store unchanged.
 */
export class KeychainTokenStore implements TokenStore {
  readonly dir: string;
  readonly #files: TokenStore;
  readonly #keychain: Keychain;

  constructor(files: TokenStore, keychain: Keychain) {
    this.dir = files.dir;
    this.#files = files;
    this.#keychain = keychain;
  }

  /** The keychain account of one token: unique per tokens directory, file and field. */
  account(name: string, field: (typeof TOKEN_SECRET_FIELDS)[number]): string {
    return `${this.#files.pathOf(name)}#${field}`;
  }

  pathOf(name: string): string {
    return this.#files.pathOf(name);
  }

  readText(name: string): Promise<string | undefined> {
    return this.#files.readText(name);
  }

  async readJson(name: string): Promise<unknown> {
    const value = await this.#files.readJson(name);
    if (typeof value !== 'object' || value === null || (value as { token_store?: unknown }).token_store !== 'keychain') return value;
    const record: Record<string, unknown> = { ...(value as Record<string, unknown>) };
    delete record.token_store;
    for (const field of TOKEN_SECRET_FIELDS) {
      const secret = await this.#keychain.getPassword(KEYCHAIN_SERVICE, this.account(name, field));
      if (secret !== null) record[field] = secret;
    }
    return record;
  }

  async writeJson(name: string, value: unknown): Promise<string> {
    if (typeof value !== 'object' || value === null || typeof (value as { access_token?: unknown }).access_token !== 'string') {
      return this.#files.writeJson(name, value);
    }
    const { access_token: _access, refresh_token: _refresh, ...metadata } = value as Record<string, unknown>;
    for (const field of TOKEN_SECRET_FIELDS) {
      const secret = (value as Record<string, unknown>)[field];
      if (typeof secret === 'string') await this.#keychain.setPassword(KEYCHAIN_SERVICE, this.account(name, field), secret);
      else await this.#keychain.deletePassword(KEYCHAIN_SERVICE, this.account(name, field));
    }
    return this.#files.writeJson(name, { ...metadata, token_store: 'keychain' });
  }

  list(): Promise<string[]> {
    return this.#files.list();
  }

  /**
   * Moves tokens still in plain files (written before the keychain was chosen) into the keychain,
   * each file under its lock; returns the files it rewrote. Without this, switching to the keychain
   * would leave the old tokens readable on disk.
   */
  async moveFileTokens(): Promise<string[]> {
    const moved: string[] = [];
    const holdsTokens = (value: unknown): value is Record<string, unknown> =>
      typeof value === 'object' && value !== null && typeof (value as { access_token?: unknown }).access_token === 'string';
    for (const name of await this.#files.list()) {
      if (!['ingress', 'agent-token', 'server-token'].includes(roleOf(name)?.role ?? '')) continue;
      if (!holdsTokens(await this.#files.readJson(name))) continue;
      await this.#files.withLock(name, async () => {
        const value = await this.#files.readJson(name);
        if (!holdsTokens(value)) return;
        await this.writeJson(name, value);
        moved.push(this.pathOf(name));
      });
    }
    return moved;
  }

  async remove(name: string): Promise<void> {
    for (const field of TOKEN_SECRET_FIELDS) await this.#keychain.deletePassword(KEYCHAIN_SERVICE, this.account(name, field));
    await this.#files.remove(name);
  }

  withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.#files.withLock(name, work);
  }

  hold(name: string): Promise<(() => Promise<void>) | undefined> {
    return this.#files.hold(name);
  }
}
