import { getVar, type Env } from './env-files.js';
import type { Problems } from './problems.js';

const MAX_SET = 100;

/**
 * Finds the numbered sets (`NAME_1` .. `NAME_100`) among the variables. A set exists when any of its
 * variables is set; one missing a required variable is a problem that names that variable.
 * Returns, per complete set, its index and a reader for its variables.
 */
export function numberedSets(
  env: Env,
  variables: readonly string[],
  required: readonly string[],
  problems: Problems,
): Array<{ index: number; get: (name: string) => string | undefined }> {
  const sets: Array<{ index: number; get: (name: string) => string | undefined }> = [];
  for (let index = 1; index <= MAX_SET; index++) {
    const get = (name: string): string | undefined => getVar(env, `${name}_${index}`);
    if (!variables.some((name) => get(name) !== undefined)) continue;
    const missing = required.filter((name) => get(name) === undefined);
    if (missing.length > 0) {
      const present = variables.filter((name) => get(name) !== undefined).map((name) => `${name}_${index}`);
      for (const name of missing) {
        problems.add(`${name}_${index} is not set, but set ${index} has ${present.join(', ')}: set it, or remove the others`);
      }
      continue;
    }
    sets.push({ index, get });
  }
  return sets;
}
