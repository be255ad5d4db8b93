import { CLIENTS } from '../clients/catalogue.js';
import { readClientFile, writeClientFile } from '../install/client-file.js';
import { openDocument } from '../install/documents.js';
import type { Deps } from './deps.js';
import { entryHash, readLedger, updateLedger } from './install-ledger.js';
import { targets } from './install.js';

/**
 * After a renewal: every entry installed with `--mode inline` gets the current tokens, so clients
 * that read headers from their file keep working. Entries changed by hand since are left alone.
 * Returns the files rewritten; a file that cannot be rewritten is a warning, not a failed renewal.
 */
export async function rewriteInlineInstalls(deps: Deps): Promise<string[]> {
  const records = (await readLedger(deps.store)).filter((record) => Object.values(record.servers).some((entry) => entry.mode === 'inline'));
  const rewritten: string[] = [];
  for (const record of records) {
    try {
      const client = CLIENTS[record.client];
      const found = await readClientFile(record.file);
      if (found.text === undefined) continue;
      const document = await openDocument(client.format, record.file, found.text, client.serversKey);
      const servers = { ...record.servers };
      const current = Object.keys(servers).filter((name) => {
        const existing = document.get(name);
        return servers[name]?.mode === 'inline' && existing !== undefined && entryHash(existing) === servers[name].hash;
      });
      for (const target of await targets(deps, current, 'inline')) {
        const value = client.entry(target, 'inline');
        document.set(target.name, value);
        servers[target.name] = { hash: entryHash(value), mode: 'inline' };
      }
      const text = document.text();
      if (text === found.text) continue;
      await writeClientFile(record.file, text, found.mode ?? 0o600);
      await updateLedger(deps.store, (all) =>
        all.map((r) => (r.client === record.client && r.file === record.file ? { ...r, servers } : r)),
      );
      rewritten.push(record.file);
    } catch (error) {
      deps.log.warn(
        `the tokens in ${record.file} (${record.client}, inline) were not updated: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return rewritten;
}
