import type { InstallResult } from '../../usecases/install.js';
import type { UninstallResult } from '../../usecases/uninstall.js';
import type { Io } from '../io.js';
import { displayPath } from './format.js';

/** `install`: the file on stdout with --print (it holds tokens only in inline mode), else a line for people, or --json. */
export function printInstall(io: Io, result: InstallResult, options: { cwd: string; json: boolean }): void {
  const { paint } = io;
  const where = displayPath(result.file, options.cwd);
  if (result.printed !== undefined) {
    if (result.mode === 'inline') io.outSecret(result.printed);
    else io.out(result.printed);
  } else {
    const what = result.changed ? `wrote ${where}` : `${where} is up to date`;
    io.info(`${paint.ok('✔')} ${paint.bold(result.client.name)} (${result.scope}, ${result.mode}): ${what}: ${result.servers.join(', ')}`);
    if (result.mode === 'inline') io.warn(`${where} holds tokens now; mcpgw-creds refresh (or the watcher) keeps them current`);
  }
  for (const note of result.notes) io.info(`  ${paint.dim('note:')} ${note}`);
  if (options.json && result.printed === undefined) {
    const { client, scope, mode, file, servers, changed, notes } = result;
    io.out(JSON.stringify({ client: client.id, scope, mode, file, servers, changed, notes }, null, 2) + '\n');
  }
}

const SAID: Record<UninstallResult['result'], string> = {
  restored: 'it is byte for byte what it was before install',
  deleted: 'install had created it, so it is gone',
  edited: 'the rest of it is as you left it',
  'not-installed': '',
};

/** `uninstall`: a line for people (or the file with --print), or --json. */
export function printUninstall(io: Io, result: UninstallResult, options: { cwd: string; json: boolean }): void {
  const { paint } = io;
  const where = displayPath(result.file, options.cwd);
  if (result.printed !== undefined) io.out(result.printed);
  else if (result.result === 'not-installed')
    io.info(`${paint.dim('–')} ${paint.bold(result.client.name)} (${result.scope}): nothing installed in ${where}`);
  else
    io.info(
      `${paint.ok('✔')} ${paint.bold(result.client.name)} (${result.scope}): removed ${result.removed.join(', ') || 'nothing'} from ${where}; ${SAID[result.result]}`,
    );
  if (result.leftAlone.length > 0)
    io.warn(
      `${where}: ${result.leftAlone.join(', ')} changed since install, so ${result.leftAlone.length === 1 ? 'it was' : 'they were'} left alone`,
    );
  if (options.json && result.printed === undefined) {
    const { client, scope, file, removed, leftAlone } = result;
    io.out(JSON.stringify({ client: client.id, scope, file, removed, left_alone: leftAlone, result: result.result }, null, 2) + '\n');
  }
}
