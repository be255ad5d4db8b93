import * as v from 'valibot';

/**
 * The gateway's `scopes.yml`: `group_mappings` (an identity-provider group → scope names) and one
 * key per scope, a list of `{server, methods, tools}` grants. Other keys (`UI-Scopes`, agent
 * grants) are kept out of the way: only the MCP grants matter here.
 */
export interface ScopesFile {
  groupMappings: Record<string, string[]>;
  scopes: Record<string, Grant[]>;
}

/** What one scope entry allows: a server (`*`: any), its methods and tools (`*` or `all`: any). */
export interface Grant {
  server: string;
  methods: string[];
  tools: string[];
}

const names = v.union([v.string(), v.array(v.union([v.string(), v.number()]))]);
const GrantSchema = v.object({ server: v.string(), methods: v.optional(names, []), tools: v.optional(names, []) });

const list = (value: v.InferOutput<typeof names>): string[] => (Array.isArray(value) ? value.map(String) : [value]);

export class ScopesFileError extends Error {}

/**
 * Reads a scopes file's text. Errors name the key and what is wrong with it; a scope whose entries
 * are not MCP grants (e.g. `UI-Scopes`, `agents:` actions) is skipped.
 */
export function parseScopesFile(text: string, parse: (text: string) => unknown): ScopesFile {
  let document: unknown;
  try {
    document = parse(text);
  } catch (error) {
    throw new ScopesFileError(`is not YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) throw new ScopesFileError('is not a mapping of keys');
  const root = document as Record<string, unknown>;
  const mappings = v.safeParse(v.record(v.string(), v.nullish(v.array(v.string()), [])), root.group_mappings ?? {});
  if (!mappings.success) throw new ScopesFileError('has a group_mappings that is not "group: [scope, ...]"');
  const scopes: Record<string, Grant[]> = {};
  for (const [key, value] of Object.entries(root)) {
    if (key === 'group_mappings' || !Array.isArray(value)) continue;
    const grants = value.filter(
      (entry): entry is Record<string, unknown> => typeof entry === 'object' && entry !== null && 'server' in entry,
    );
    const parsed: Grant[] = [];
    for (const grant of grants) {
      const result = v.safeParse(GrantSchema, grant);
      if (!result.success)
        throw new ScopesFileError(`has an entry of ${key} that is not {server, methods, tools}: ${result.issues[0].message}`);
      parsed.push({ server: result.output.server, methods: list(result.output.methods), tools: list(result.output.tools) });
    }
    if (parsed.length > 0 || value.length === 0) scopes[key] = parsed;
  }
  return { groupMappings: mappings.output, scopes };
}
