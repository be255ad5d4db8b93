import type { SecretRegistry } from '../secrets.js';
import { SECRET_FIELDS } from './layout.js';
import type { TokenStore } from './token-store.js';

/**
 * A store that tells the secret registry of every secret field it reads or writes (tokens, client
 * secrets), so no flow has to remember to: whatever passes through the store is redacted from
 * every line printed afterwards.
 */
export class SecretRegisteringStore implements TokenStore {
  readonly dir: string;
  readonly #inner: TokenStore;
  readonly #secrets: SecretRegistry;

  constructor(inner: TokenStore, secrets: SecretRegistry) {
    this.dir = inner.dir;
    this.#inner = inner;
    this.#secrets = secrets;
  }

  #register(value: unknown): void {
    if (typeof value !== 'object' || value === null) return;
    for (const field of SECRET_FIELDS) {
      const secret = (value as Record<string, unknown>)[field];
      // A client secret is redacted whatever its length; tokens are long, and a short "token" in a
      // planted or hostile file must not redact ordinary words.
      if (typeof secret === 'string') this.#secrets.add(secret, field === 'client_secret' ? 1 : 8);
    }
  }

  pathOf(name: string): string {
    return this.#inner.pathOf(name);
  }

  readText(name: string): Promise<string | undefined> {
    return this.#inner.readText(name);
  }

  async readJson(name: string): Promise<unknown> {
    const value = await this.#inner.readJson(name);
    this.#register(value);
    return value;
  }

  writeJson(name: string, value: unknown): Promise<string> {
    this.#register(value);
    return this.#inner.writeJson(name, value);
  }

  list(): Promise<string[]> {
    return this.#inner.list();
  }

  remove(name: string): Promise<void> {
    return this.#inner.remove(name);
  }

  withLock<T>(name: string, work: () => Promise<T>): Promise<T> {
    return this.#inner.withLock(name, work);
  }

  hold(name: string): Promise<(() => Promise<void>) | undefined> {
    return this.#inner.hold(name);
  }
}
