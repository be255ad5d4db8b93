import type { CommonFlags } from '../../config/settings.js';
import { UsageError } from '../../errors.js';
import { agentTokenFile, asTokenRecord } from '../../store/records.js';
import { findServerToken, readIngress, type StoredToken } from '../../store/token-files.js';
import type { CliContext } from '../context.js';
import { openSettingsAndStore } from '../settings-store.js';
import { freshToken, type Target } from '../fresh-token.js';

export interface TokenFlags extends CommonFlags {
  json?: boolean;
  ingress?: boolean;
  agent?: string;
  server?: string;
}

/**
 * `mcpgw-creds token [--ingress | --agent ID | --server NAME]`: the access token alone on stdout,
 * renewed first when it expires within 5 minutes, so a script can write
 * `curl -H "X-Authorization: Bearer $(mcpgw-creds token)" ...`.
 */
export async function tokenCommand(flags: TokenFlags, cli: CliContext): Promise<number> {
  const chosen = [flags.ingress ? 'ingress' : undefined, flags.agent, flags.server].filter((x) => x !== undefined);
  if (chosen.length > 1) throw new UsageError('--ingress, --agent and --server exclude each other', 'name one token');
  const target: Target = flags.agent !== undefined ? { kind: 'agent', id: flags.agent } : flags.server !== undefined ? { kind: 'server', server: flags.server } : { kind: 'ingress' };

  const { store } = await openSettingsAndStore(flags, cli);
  let stored: StoredToken | undefined;
  if (target.kind === 'ingress') stored = await readIngress(store);
  else if (target.kind === 'server') stored = await findServerToken(store, target.server);
  else {
    const record = asTokenRecord(await store.readJson(agentTokenFile(target.id)));
    stored = record ? { file: agentTokenFile(target.id), kind: 'agent', name: target.id, record } : undefined;
  }

  const fresh = await freshToken(flags, cli, target, stored);
  if ('error' in fresh) {
    cli.io.error(fresh.error.message, fresh.error.hint);
    return fresh.error.exit_code;
  }
  cli.io.outSecret(`${fresh.record.access_token}\n`);
  return 0;
}
