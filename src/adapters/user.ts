import { homedir } from 'node:os';

/** This process's user id; undefined where the system has none (Windows). */
export function currentUid(): number | undefined {
  return process.getuid?.();
}

/** The user's home directory: HOME (USERPROFILE on Windows) as the environment says, else the system's. */
export function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  return env.HOME ?? env.USERPROFILE ?? homedir();
}
