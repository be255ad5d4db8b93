import { constants } from 'node:fs';
import { lstat, mkdir, open, rmdir, unlink } from 'node:fs/promises';
import path from 'node:path';
import { StoreError } from '../errors.js';

/** A client's configuration file as found: its text and mode, or nothing there yet. */
export interface ClientFile {
  path: string;
  text: string | undefined;
  mode: number | undefined;
}

function linkError(file: string): StoreError {
  return new StoreError(`${file} is a symbolic link; mcpgw-creds does not edit client configurations through links`, {
    hint: 'edit the file it points to yourself (install --print shows what to add), or replace the link with the file',
  });
}

/** Reads a client's file; a symbolic link (or anything but a regular file) is refused, never followed. */
export async function readClientFile(file: string): Promise<ClientFile> {
  try {
    const info = await lstat(file);
    if (info.isSymbolicLink()) throw linkError(file);
    if (!info.isFile()) throw new StoreError(`${file} is not a regular file`, { hint: 'move it away, then run the command again' });
    const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
    try {
      return { path: file, text: await handle.readFile('utf8'), mode: info.mode & 0o777 };
    } finally {
      await handle.close();
    }
  } catch (error) {
    if (error instanceof StoreError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { path: file, text: undefined, mode: undefined };
    if (code === 'ELOOP') throw linkError(file);
    throw new StoreError(`cannot read ${file}: ${code ?? String(error)}`, { hint: 'check its permissions', cause: error });
  }
}

/**
 * Replaces a client's file atomically with `text` at `mode` (from its first byte), creating its
 * folder (at 700) when missing; never through a symbolic link.
 */
export async function writeClientFile(file: string, text: string, mode: number): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const found = await lstat(file).catch(() => undefined);
  if (found?.isSymbolicLink()) throw linkError(file);
  const { default: writeFileAtomic } = await import('write-file-atomic');
  await writeFileAtomic(file, text, { mode });
}

export async function removeClientFile(file: string): Promise<void> {
  await unlink(file).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  });
}

/** Where the copy of a file as it was before the first install goes. */
export function backupPath(file: string): string {
  return `${file}.mcpgw-creds.bak`;
}

/** Keeps one copy of the file as it was before mcpgw-creds first changed it (mode 600); never replaces one. */
export async function backupOnce(file: string, text: string): Promise<string | undefined> {
  const backup = backupPath(file);
  try {
    const handle = await open(backup, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o600);
    try {
      await handle.writeFile(text, 'utf8');
    } finally {
      await handle.close();
    }
    return backup;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
}

export async function folderExists(folder: string): Promise<boolean> {
  return (await lstat(folder).catch(() => undefined)) !== undefined;
}

/** Removes a folder `install` created, if nothing else is in it now. */
export async function removeEmptyFolder(folder: string): Promise<void> {
  await rmdir(folder).catch(() => undefined);
}
