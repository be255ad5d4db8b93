import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError } from '../errors.js';
import type { ProviderDefinition } from './schema.js';

/** The package's own `providers/` folder. */
export const BUILT_IN_PROVIDERS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../providers');

const YAML_FILE = /^([a-z0-9][a-z0-9._-]*)\.ya?ml$/i;

export interface Catalogue {
  get(name: string): ProviderDefinition | undefined;
  names(): string[];
}

/**
 * Loads the provider definitions: the built-in folder, then `providersDir`, where a file overrides a
 * built-in provider of the same name. Every file is checked; any malformed one is a ConfigError
 * naming the file and the field (a broken definition should not wait for the day it is used).
 */
export async function loadCatalogue(providersDir: string | undefined): Promise<Catalogue> {
  const [{ parseYaml: parse }, { validateProvider }] = await Promise.all([import('../yaml.js'), import('./schema.js')]);
  const providers = new Map<string, ProviderDefinition>();
  const problems: string[] = [];
  for (const dir of [BUILT_IN_PROVIDERS, providersDir]) {
    if (dir === undefined) continue;
    let files: string[];
    try {
      files = (await readdir(dir)).filter((file) => YAML_FILE.test(file)).sort();
    } catch (error) {
      throw new ConfigError(`cannot read the providers folder ${dir}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, {
        hint: 'check --providers-dir or MCPGW_PROVIDERS_DIR',
      });
    }
    for (const file of files) {
      const where = path.join(dir, file);
      let document: unknown;
      try {
        document = parse(await readFile(where, 'utf8'));
      } catch (error) {
        problems.push(`${where}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
        continue;
      }
      const fallbackName = (YAML_FILE.exec(file)?.[1] as string).toLowerCase();
      const checked = validateProvider(document, where, fallbackName);
      if (Array.isArray(checked)) problems.push(...checked);
      else providers.set(checked.name, checked);
    }
  }
  if (problems.length > 0) {
    throw new ConfigError(problems.length === 1 ? (problems[0] as string) : `${problems.length} problems in provider definitions`, {
      problems,
      hint: 'fix the provider definition (see docs/configuration.md, "Provider catalogue")',
    });
  }
  return { get: (name) => providers.get(name), names: () => [...providers.keys()].sort() };
}
