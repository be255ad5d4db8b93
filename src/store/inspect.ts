import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';

/** What the file system says about a path, without following a symbolic link. */
interface PathFacts {
  name: string;
  kind: 'file' | 'directory' | 'symlink' | 'other';
  owner: number;
  /** The permission bits. */
  mode: number;
}

/** The tokens directory and the entries in it, as they are (for `doctor`; nothing is changed). */
export interface DirectoryFacts {
  dir: PathFacts | undefined;
  entries: PathFacts[];
}

async function factsOf(file: string): Promise<PathFacts> {
  const info = await lstat(file);
  const kind = info.isSymbolicLink() ? 'symlink' : info.isDirectory() ? 'directory' : info.isFile() ? 'file' : 'other';
  return { name: path.basename(file), kind, owner: info.uid, mode: info.mode & 0o777 };
}

export async function inspectDirectory(dir: string): Promise<DirectoryFacts> {
  let facts: PathFacts;
  try {
    facts = await factsOf(dir);
  } catch {
    return { dir: undefined, entries: [] };
  }
  if (facts.kind !== 'directory') return { dir: facts, entries: [] };
  const names = (await readdir(dir)).sort();
  const entries = await Promise.all(names.map((name) => factsOf(path.join(dir, name)).catch(() => undefined)));
  return { dir: facts, entries: entries.filter((entry): entry is PathFacts => entry !== undefined) };
}
