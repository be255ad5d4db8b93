import { ConfigError } from '../errors.js';

/**
 * A client's configuration file, open for editing the entries under one key (`servers`,
 * `mcpServers`, `mcp_servers`). Everything else in the file, comments and formatting included,
 * stays as it was.
 */
export interface ServersDocument {
  /** The entry under that name, parsed; undefined when there is none. */
  get(name: string): unknown;
  set(name: string, value: Record<string, unknown>): void;
  remove(name: string): void;
  /** The file's text now. */
  text(): string;
}

/** Opens a file's text for editing; a file that does not parse is a ConfigError naming it. */
export async function openDocument(format: 'json' | 'toml', file: string, text: string, serversKey: string): Promise<ServersDocument> {
  if (format === 'json') return (await import('./jsonc-document.js')).openJsonc(file, text, serversKey);
  return (await import('./toml-document.js')).openToml(file, text, serversKey);
}

export function unreadable(file: string, why: string): ConfigError {
  return new ConfigError(`${file} cannot be read as its client reads it (${why}); nothing was changed`, {
    hint: 'fix the file (or move it away), then run the command again',
  });
}
