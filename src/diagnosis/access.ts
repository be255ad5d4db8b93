import type { Grant, ScopesFile } from './scopes-file.js';

/**
 * What a gateway grants a token's groups, by the rules of its auth server: groups are looked up in
 * `group_mappings` exactly (case matters), their scopes' grants apply; a grant's server is a name
 * (slashes around it ignored) or `*`; its methods and tools are lists or `*`/`all`; `tools/call`
 * needs the tool itself listed (or `*`), whatever the methods say; any other method is also allowed
 * when its name is listed among the tools.
 */
const ANY = new Set(['*', 'all']);
const bare = (server: string): string => server.replace(/^\/+|\/+$/g, '');
const anyOf = (values: readonly string[]): boolean => values.some((value) => ANY.has(value));

export interface GroupAccess {
  /** Each group of the token and the scopes it maps to (none: the gateway does not know it). */
  groups: Array<{ group: string; scopes: string[]; nearest: string | undefined }>;
  /** The grants of all those scopes. */
  grants: Grant[];
  /** Scopes that group_mappings names but the file does not define. */
  undefinedScopes: string[];
}

/** A mapped group that is only a near miss of `group`: the same but for case, spaces, or one or two letters. */
function nearest(group: string, known: readonly string[]): string | undefined {
  const folded = group.trim().toLowerCase();
  const sameButCase = known.find((candidate) => candidate.trim().toLowerCase() === folded);
  if (sameButCase) return sameButCase;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(folded, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance)) best = { name: candidate, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length] as number;
}

export function groupAccess(file: ScopesFile, groups: readonly string[]): GroupAccess {
  const known = Object.keys(file.groupMappings);
  const entries = groups.map((group) => {
    const scopes = file.groupMappings[group] ?? [];
    return { group, scopes, nearest: scopes.length === 0 ? nearest(group, known) : undefined };
  });
  const scopeNames = [...new Set(entries.flatMap((entry) => entry.scopes))];
  return {
    groups: entries,
    grants: scopeNames.flatMap((scope) => file.scopes[scope] ?? []),
    undefinedScopes: scopeNames.filter((scope) => !(scope in file.scopes)),
  };
}

/** Whether the grants allow `method` (and, for tools/call, `tool`) on `server`. */
export function isAllowed(grants: readonly Grant[], server: string, method: string, tool?: string): boolean {
  return grants.some((grant) => {
    if (grant.server !== '*' && bare(grant.server) !== bare(server)) return false;
    if (method === 'tools/call') return tool !== undefined && (anyOf(grant.tools) || grant.tools.includes(tool));
    return anyOf(grant.methods) || grant.methods.includes(method) || grant.tools.includes(method);
  });
}

/** Per server the grants name, the methods and tools they allow (`*` for any). */
export function allowedByServer(grants: readonly Grant[]): Array<{ server: string; methods: string[]; tools: string[] }> {
  const byServer = new Map<string, { methods: Set<string>; tools: Set<string> }>();
  for (const grant of grants) {
    const server = grant.server === '*' ? '*' : bare(grant.server);
    const entry = byServer.get(server) ?? { methods: new Set<string>(), tools: new Set<string>() };
    for (const method of grant.methods) entry.methods.add(ANY.has(method) ? '*' : method);
    for (const tool of grant.tools) entry.tools.add(ANY.has(tool) ? '*' : tool);
    byServer.set(server, entry);
  }
  const collapse = (values: Set<string>): string[] => (values.has('*') ? ['*'] : [...values].sort());
  return [...byServer.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([server, entry]) => ({ server, methods: collapse(entry.methods), tools: collapse(entry.tools) }));
}
