/** This process's user id; undefined where the system has none (Windows). */
export function currentUid(): number | undefined {
  return process.getuid?.();
}
