import { access } from 'node:fs/promises';
import { CLIENTS } from '../../clients/catalogue.js';
import { error, ok, warning, type Finding } from '../../diagnosis/findings.js';
import { readClientFile } from '../../install/client-file.js';
import { openDocument } from '../../install/documents.js';
import type { Deps } from '../deps.js';
import { entryHash, readLedger } from '../install-ledger.js';

/** The absolute paths an entry names (the program, its script, the tokens directory, the .env files). */
function pathsRun(entry: Record<string, unknown>): string[] {
  const args: unknown[] = Array.isArray(entry.args) ? (entry.args as unknown[]) : [];
  const texts = [entry.command, ...args, entry.headersHelper, entry.http_headers_helper];
  return texts
    .filter((text): text is string => typeof text === 'string')
    .flatMap((text) => text.split(/\s+/))
    .map((word) => word.replace(/^'|'$/g, ''))
    .filter((word) => word.startsWith('/') && !word.startsWith('//'));
}

const exists = (file: string): Promise<boolean> =>
  access(file).then(
    () => true,
    () => false,
  );

/** What `install` wrote into clients' files: still there, unchanged, and what it runs still exists. */
export async function clientFindings(deps: Pick<Deps, 'store'>): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const record of await readLedger(deps.store)) {
    const client = CLIENTS[record.client];
    const again = `mcpgw-creds install ${record.client}${record.scope === 'user' ? ' --scope user' : ''}`;
    const found = await readClientFile(record.file).catch(() => ({ text: undefined }));
    if (found.text === undefined) {
      findings.push(warning('clients', `${client.name}: ${record.file} is gone`, `run ${again} to write it again`));
      continue;
    }
    const document = await openDocument(client.format, record.file, found.text, client.serversKey);
    let problems = 0;
    for (const [name, installed] of Object.entries(record.servers)) {
      const entry = document.get(name);
      if (entry === undefined) {
        problems++;
        findings.push(
          warning('clients', `${client.name}: the entry ${name} is no longer in ${record.file}`, `run ${again} to add it again`),
        );
        continue;
      }
      if (entryHash(entry) !== installed.hash) {
        problems++;
        findings.push(
          warning(
            'clients',
            `${client.name}: the entry ${name} in ${record.file} was changed since install; mcpgw-creds leaves it alone`,
            `to manage it again, remove it and run ${again}`,
          ),
        );
        continue;
      }
      for (const file of pathsRun(entry as Record<string, unknown>)) {
        if (await exists(file)) continue;
        problems++;
        findings.push(
          error(
            'clients',
            `${client.name}: the entry ${name} in ${record.file} names ${file}, which no longer exists`,
            `restore it, or run ${again} (from where mcpgw-creds and its .env are now)`,
          ),
        );
      }
    }
    if (problems === 0) {
      const count = Object.keys(record.servers).length;
      findings.push(ok('clients', `${client.name}: ${count} ${count === 1 ? 'entry' : 'entries'} in ${record.file}, as installed`));
    }
  }
  return findings;
}
