import { stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../errors.js';
import { readClientFile, writeClientFile } from '../../install/client-file.js';

/**
 * A variable's value as a .env line that dotenv reads back exactly. dotenv undoes no escape, and
 * inside double quotes it turns `\n` into a newline; so a value is written bare when it is plain,
 * else inside a quote character it does not contain (double quotes only without `\n` or `\r`).
 */
export function envLine(name: string, value: string): string {
  if (/^[\w./:@%+,=~-]*$/.test(value)) return `${name}=${value}`;
  if (value.includes('\r')) throw new UsageError(`${name}: a carriage return cannot be written to .env`, 'give the value without it');
  const quote = ["'", '"', '`'].find((mark) => !value.includes(mark) && !(mark === '"' && /\\[nr]/.test(value)));
  if (quote === undefined) {
    throw new UsageError(`${name} holds ', " and \` at once: no .env quoting reads that back`, 'give a value without one of them');
  }
  return `${name}=${quote}${value}${quote}`;
}

/** The .env `init` writes: the answers in the order they were asked, in commented groups. */
export function envFileText(
  groups: ReadonlyArray<{ title: string; values: ReadonlyArray<readonly [string, string]> }>,
  date: Date,
): string {
  const out = [`# Written by mcpgw-creds init on ${date.toISOString().slice(0, 10)}. Keep it out of version control.`];
  for (const group of groups) {
    if (group.values.length === 0) continue;
    out.push('', `# ${group.title}`, ...group.values.map(([name, value]) => envLine(name, value)));
  }
  return `${out.join('\n')}\n`;
}

/** The .env already there, or undefined; a symbolic link or anything but a file is refused (never written through). */
export async function readEnvFile(file: string): Promise<string | undefined> {
  return (await readClientFile(file)).text;
}

/** Writes the .env at mode 600 from its first byte, atomically, never through a symbolic link. */
export async function writeEnvFile(file: string, text: string): Promise<void> {
  await writeClientFile(file, text, 0o600);
}

/** The git repository `dir` is in (a `.git` folder or file in it or above), if any. */
async function inGitRepository(dir: string): Promise<boolean> {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (
      await stat(path.join(at, '.git')).then(
        () => true,
        () => false,
      )
    )
      return true;
    if (path.dirname(at) === at) return false;
  }
}

const IGNORED = ['.env', '.oauth-tokens/'];

/**
 * In a git repository, adds `.env` and `.oauth-tokens/` to the .gitignore of `dir` (creating it),
 * unless a line already names them. Returns the lines added.
 */
export async function ignoreInGit(dir: string, tokensDir: string): Promise<string[]> {
  if (!(await inGitRepository(dir))) return [];
  const file = path.join(dir, '.gitignore');
  const found = await readClientFile(file);
  const lines = (found.text ?? '').split(/\r?\n/).map((text) => text.trim().replace(/^\//, ''));
  const tokens = path.relative(dir, tokensDir);
  const wanted = tokens && !tokens.startsWith('..') && tokens !== '.oauth-tokens' ? ['.env', `${tokens}/`] : IGNORED;
  const missing = wanted.filter((entry) => !lines.includes(entry) && !lines.includes(entry.replace(/\/$/, '')));
  if (missing.length === 0) return [];
  const before = found.text ?? '';
  const separator = before === '' || before.endsWith('\n') ? '' : '\n';
  await writeClientFile(file, `${before}${separator}${missing.join('\n')}\n`, found.mode ?? 0o644);
  return missing;
}
