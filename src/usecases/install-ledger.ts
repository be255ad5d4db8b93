import { createHash } from 'node:crypto';
import type { ClientId, Mode, Scope } from '../clients/catalogue.js';
import { INSTALLED_FILE } from '../store/layout.js';
import type { TokenStore } from '../store/token-store.js';

interface InstalledEntry {
  hash: string;
  mode: Mode;
}

/** One `install` into one client's file: what it wrote there, so that only that is ever touched again. */
export interface InstallRecord {
  client: ClientId;
  scope: Scope;
  file: string;
  /** Each server's entry: a hash of what was written, and its mode, in the order written. */
  servers: Record<string, InstalledEntry>;
  /** The file did not exist before the first install. */
  created: boolean;
  /** Nor did its folder (removed again with the file, when empty). */
  createdFolder?: boolean;
}

/** A value's fingerprint: the same entry always gives the same hash, whatever its key order. */
export function entryHash(value: unknown): string {
  const canonical = (item: unknown): unknown =>
    Array.isArray(item)
      ? item.map(canonical)
      : typeof item === 'object' && item !== null
        ? Object.fromEntries(
            Object.keys(item)
              .sort()
              .map((key) => [key, canonical((item as Record<string, unknown>)[key])]),
          )
        : item;
  return createHash('sha256')
    .update(JSON.stringify(canonical(value)))
    .digest('hex')
    .slice(0, 32);
}

function isRecord(value: unknown): value is InstallRecord {
  if (typeof value !== 'object' || value === null) return false;
  const { client, file, servers } = value as Record<string, unknown>;
  return (
    typeof client === 'string' &&
    typeof file === 'string' &&
    typeof servers === 'object' &&
    servers !== null &&
    Object.values(servers).every((entry) => typeof (entry as Partial<InstalledEntry> | null)?.hash === 'string')
  );
}

export async function readLedger(store: TokenStore): Promise<InstallRecord[]> {
  const value = (await store.readJson(INSTALLED_FILE)) as { installs?: unknown } | undefined;
  return Array.isArray(value?.installs) ? (value.installs as unknown[]).filter(isRecord) : [];
}

/** Changes the ledger under its lock: `change` gets the records and returns the new ones. */
export function updateLedger(store: TokenStore, change: (records: InstallRecord[]) => InstallRecord[]): Promise<void> {
  return store.withLock(INSTALLED_FILE, async () => {
    const records = change(await readLedger(store));
    if (records.length === 0) await store.remove(INSTALLED_FILE);
    else await store.writeJson(INSTALLED_FILE, { installs: records });
  });
}
