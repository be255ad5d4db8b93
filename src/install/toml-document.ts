import { parse, patch, stringify } from '@decimalturn/toml-patch';
import { unreadable, type ServersDocument } from './documents.js';

type Table = Record<string, unknown>;

/**
 * TOML (Codex's config.toml), edited with toml-patch, which keeps comments, whitespace and the
 * order of everything it is not asked to change. A new entry is appended as its own
 * `[mcp_servers.NAME]` section (its nested tables inline), the shape Codex's documentation shows;
 * changes and removals go through `patch`.
 */
export function openToml(file: string, original: string, serversKey: string): ServersDocument {
  const read = (text: string): Table => {
    try {
      return parse(text) as Table;
    } catch (error) {
      throw unreadable(file, error instanceof Error ? (error.message.split('\n')[0] ?? 'not TOML') : 'not TOML');
    }
  };
  const first = read(original);
  const existing = first[serversKey];
  if (existing !== undefined && (typeof existing !== 'object' || existing === null || Array.isArray(existing))) {
    throw unreadable(file, `"${serversKey}" is not a table`);
  }
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  // A `[mcp_servers]` header the user wrote stays, even when no server is left under it.
  const ownHeader = new RegExp(`^\\s*\\[\\s*${serversKey}\\s*\\]\\s*(#.*)?$`, 'm').test(original);
  let text = original;
  const servers = (document: Table): Table => (document[serversKey] ?? {}) as Table;
  return {
    get: (name) => servers(read(text))[name],
    set: (name, value) => {
      const document = read(text);
      if (servers(document)[name] !== undefined) {
        document[serversKey] = { ...servers(document), [name]: value };
        text = patch(text, document);
        return;
      }
      const section = stringify({ [serversKey]: { [name]: value } }, { inlineTableStart: 2, newLine: eol }).replace(
        new RegExp(`^\\[${serversKey}\\]${eol}${eol}`),
        '',
      );
      const gap = text === '' ? '' : text.endsWith(eol + eol) ? '' : text.endsWith(eol) ? eol : eol + eol;
      text = `${text}${gap}${section}`;
    },
    remove: (name) => {
      const document = read(text);
      if (servers(document)[name] === undefined) return;
      const rest = Object.fromEntries(Object.entries(servers(document)).filter(([key]) => key !== name));
      if (Object.keys(rest).length === 0 && !ownHeader) {
        const { [serversKey]: _, ...others } = document;
        text = patch(text, others);
      } else {
        document[serversKey] = rest;
        text = patch(text, document);
      }
    },
    text: () => text,
  };
}
