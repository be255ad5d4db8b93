import type { ClientDescription, ClientId, Scope } from '../clients/catalogue.js';
import path from 'node:path';
import { backupPath, readClientFile, removeClientFile, removeEmptyFolder, writeClientFile } from '../install/client-file.js';
import { openDocument } from '../install/documents.js';
import type { Deps } from './deps.js';
import { entryHash, readLedger, updateLedger } from './install-ledger.js';
import { targetOf } from './install.js';

export interface UninstallInput {
  client: ClientId;
  scope: Scope | undefined;
  print: boolean;
}

export interface UninstallResult {
  client: ClientDescription;
  scope: Scope;
  file: string;
  removed: string[];
  /** Entries mcpgw-creds wrote but someone changed since: not its to remove any more. */
  leftAlone: string[];
  /** `restored`: the file is byte for byte what it was before the first install (`deleted`: it did not exist). */
  result: 'restored' | 'deleted' | 'edited' | 'not-installed';
  printed?: string;
}

/**
 * Removes exactly the entries `install` wrote into a client's file. When nothing else in the file
 * changed since, the file becomes byte for byte what it was before the first install (or goes, if
 * install created it), and the backup goes with the need for it; otherwise only the entries go.
 */
export async function uninstall(deps: Deps, input: UninstallInput): Promise<UninstallResult> {
  const { client, scope, file } = targetOf(deps, input.client, input.scope);
  const base = { client, scope, file, removed: [] as string[], leftAlone: [] as string[] };
  const record = (await readLedger(deps.store)).find((r) => r.client === client.id && r.file === file);
  if (!record) return { ...base, result: 'not-installed' };
  const forget = (): Promise<void> => updateLedger(deps.store, (all) => all.filter((r) => !(r.client === client.id && r.file === file)));

  const found = await readClientFile(file);
  if (found.text === undefined) {
    if (!input.print) await forget();
    return { ...base, result: 'deleted', ...(input.print ? { printed: '' } : {}) };
  }
  const before = await openDocument(client.format, file, found.text, client.serversKey);
  const document = await openDocument(client.format, file, found.text, client.serversKey);
  const names = Object.keys(record.servers);
  const removed: string[] = [];
  const leftAlone: string[] = [];
  // The last written first: each removal then takes back exactly the text its insertion added.
  for (const name of [...names].reverse()) {
    const existing = document.get(name);
    if (existing === undefined) continue;
    if (record.servers[name]?.hash === entryHash(existing)) {
      document.remove(name);
      removed.unshift(name);
    } else {
      leftAlone.unshift(name);
    }
  }

  // Nothing else changed since the install when installing into the original gives this file.
  const original = record.created ? '' : (await readClientFile(backupPath(file))).text;
  let text = document.text();
  let result: UninstallResult['result'] = 'edited';
  if (original !== undefined && leftAlone.length === 0) {
    const replay = await openDocument(client.format, file, original, client.serversKey);
    for (const name of removed) replay.set(name, before.get(name) as Record<string, unknown>);
    if (replay.text() === found.text) {
      text = original;
      result = record.created ? 'deleted' : 'restored';
    }
  }
  if (input.print) return { ...base, removed, leftAlone, result, printed: text };

  if (result === 'deleted') {
    await removeClientFile(file);
    if (record.createdFolder) await removeEmptyFolder(path.dirname(file));
  } else if (text !== found.text) await writeClientFile(file, text, found.mode ?? 0o600);
  if (result !== 'edited') await removeClientFile(backupPath(file));
  await forget();
  return { ...base, removed, leftAlone, result };
}
