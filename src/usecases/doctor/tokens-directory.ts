import { error, ok, warning, type Finding } from '../../diagnosis/findings.js';
import { inspectDirectory } from '../../store/inspect.js';
import type { Deps } from '../deps.js';

const mode = (bits: number): string => bits.toString(8).padStart(3, '0');

/** The tokens directory and its files: this user's, not links, readable by nobody else. */
export async function tokensDirectoryFindings(deps: Pick<Deps, 'config' | 'system'>): Promise<Finding[]> {
  const { tokensDir, store } = deps.config.settings;
  const { dir, entries } = await inspectDirectory(tokensDir);
  const uid = deps.system.platform === 'win32' ? undefined : deps.system.uid;
  if (!dir)
    return [warning('tokens directory', `${tokensDir} does not exist yet`, 'it is created (mode 700) by the first run of mcpgw-creds')];
  if (dir.kind === 'symlink')
    return [
      error(
        'tokens directory',
        `${tokensDir} is a symbolic link; mcpgw-creds does not use it`,
        'replace it with a directory of your own (mode 700)',
      ),
    ];
  if (dir.kind !== 'directory')
    return [error('tokens directory', `${tokensDir} is not a directory`, 'move it away; mcpgw-creds creates the directory itself')];
  const findings: Finding[] = [];
  if (uid !== undefined && dir.owner !== uid) {
    findings.push(
      error(
        'tokens directory',
        `${tokensDir} belongs to user ${dir.owner}, not to you (${uid})`,
        `use a directory of your own (--tokens-dir), or chown ${uid} ${tokensDir}`,
      ),
    );
  }
  if (uid !== undefined && (dir.mode & 0o077) !== 0) {
    findings.push(error('tokens directory', `${tokensDir} is open to others (mode ${mode(dir.mode)})`, `chmod 700 ${tokensDir}`));
  }
  for (const entry of entries) {
    const file = `${tokensDir}/${entry.name}`;
    if (entry.kind === 'symlink')
      findings.push(error('tokens directory', `${file} is a symbolic link; it is neither read nor written`, `remove it: rm ${file}`));
    else if (uid !== undefined && entry.kind === 'file' && entry.owner !== uid) {
      findings.push(error('tokens directory', `${file} belongs to user ${entry.owner}`, `remove it, or chown ${uid} ${file}`));
    } else if (uid !== undefined && entry.kind === 'file' && (entry.mode & 0o077) !== 0) {
      findings.push(
        error(
          'tokens directory',
          `${file} can be read or written by others (mode ${mode(entry.mode)})`,
          `chmod 600 ${file}, and consider its tokens exposed: mcpgw-creds --force renews them`,
        ),
      );
    }
  }
  if (findings.length === 0) {
    const files = entries.filter((entry) => entry.kind === 'file').length;
    findings.push(
      ok('tokens directory', `${tokensDir}: yours, mode ${mode(dir.mode)}, ${files} file${files === 1 ? '' : 's'} readable by you alone`),
    );
  }
  if (store === 'keychain') findings.push(ok('tokens directory', 'tokens are kept in the OS keychain (this directory holds the rest)'));
  return findings;
}
