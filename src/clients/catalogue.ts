import path from 'node:path';
import type { SystemPaths } from '../ports.js';

/** The MCP clients `install` knows. */
export const CLIENT_IDS = ['vscode', 'claude-code', 'cursor', 'roo', 'cline', 'windsurf', 'gemini', 'codex', 'claude-desktop'] as const;
export type ClientId = (typeof CLIENT_IDS)[number];

/**
 * How an entry reaches the gateway: `helper` (the client asks `mcpgw-creds headers` on each
 * connection), `bridge` (the client runs `mcpgw-creds bridge` over stdio), `inline` (the tokens
 * themselves, in the file).
 */
export type Mode = 'helper' | 'bridge' | 'inline';
export type Scope = 'project' | 'user';

/** One gateway server, in every form an entry can take. */
export interface ServerTarget {
  name: string;
  url: string;
  /** The shell command that prints its headers (Claude Code's headersHelper, Codex's http_headers_helper). */
  helper: string;
  /** The stdio command of the bridge: absolute paths. */
  bridge: { command: string; args: string[] };
  /** The headers with the tokens: for `inline` only. */
  headers: Record<string, string>;
}

export interface ClientDescription {
  id: ClientId;
  name: string;
  format: 'json' | 'toml';
  /** The key that holds the servers, at the top of the file. */
  serversKey: string;
  /** The project file, relative to the project (the current directory); none for user-only clients. */
  project?: string;
  /** The user file. */
  user(paths: SystemPaths): string;
  /** The modes it can take, the default first. */
  modes: readonly Mode[];
  entry(server: ServerTarget, mode: Mode): Record<string, unknown>;
  /** What the client needs before it runs project entries, and how to grant it. */
  projectTrust?: (project: string) => string;
}

/** VS Code's user folder (`Code/User`), where VS Code and its extensions keep their settings. */
function vscodeUser(paths: SystemPaths): string {
  if (paths.platform === 'win32')
    return path.win32.join(paths.env.APPDATA ?? path.win32.join(paths.home, 'AppData', 'Roaming'), 'Code', 'User');
  if (paths.platform === 'darwin') return path.join(paths.home, 'Library', 'Application Support', 'Code', 'User');
  return path.join(paths.env.XDG_CONFIG_HOME ?? path.join(paths.home, '.config'), 'Code', 'User');
}

/** A path under `base` (the home directory, or a folder a variable names instead), in the platform's form. */
function under(paths: SystemPaths, base: string | undefined, ...parts: string[]): string {
  const root = base ?? paths.home;
  return paths.platform === 'win32' ? path.win32.join(root, ...parts) : path.join(root, ...parts);
}

const stdio = (server: ServerTarget, type?: string): Record<string, unknown> => ({
  ...(type ? { type } : {}),
  command: server.bridge.command,
  args: server.bridge.args,
});

/**
 * The clients, one small description each: where their files are, and what an entry looks like in
 * each mode. Adding a client is adding one here.
 */
export const CLIENTS: Readonly<Record<ClientId, ClientDescription>> = {
  vscode: {
    id: 'vscode',
    name: 'VS Code',
    format: 'json',
    serversKey: 'servers',
    project: path.join('.vscode', 'mcp.json'),
    user: (paths) =>
      paths.platform === 'win32' ? path.win32.join(vscodeUser(paths), 'mcp.json') : path.join(vscodeUser(paths), 'mcp.json'),
    modes: ['bridge', 'inline'],
    entry: (server, mode) => (mode === 'inline' ? { type: 'http', url: server.url, headers: server.headers } : stdio(server, 'stdio')),
  },
  'claude-code': {
    id: 'claude-code',
    name: 'Claude Code',
    format: 'json',
    serversKey: 'mcpServers',
    project: '.mcp.json',
    user: (paths) => under(paths, paths.env.CLAUDE_CONFIG_DIR, '.claude.json'),
    modes: ['helper', 'bridge', 'inline'],
    entry: (server, mode) =>
      mode === 'helper'
        ? { type: 'http', url: server.url, headersHelper: server.helper }
        : mode === 'inline'
          ? { type: 'http', url: server.url, headers: server.headers }
          : stdio(server, 'stdio'),
    projectTrust: () =>
      'Claude Code runs project servers only after you trust the folder and approve them: run `claude` here and accept, ' +
      'or set "enableAllProjectMcpServers": true in .claude/settings.local.json; `claude mcp list` shows their state',
  },
  cursor: {
    id: 'cursor',
    name: 'Cursor',
    format: 'json',
    serversKey: 'mcpServers',
    project: path.join('.cursor', 'mcp.json'),
    user: (paths) => under(paths, undefined, '.cursor', 'mcp.json'),
    modes: ['bridge', 'inline'],
    entry: (server, mode) => (mode === 'inline' ? { url: server.url, headers: server.headers } : stdio(server)),
  },
  roo: {
    id: 'roo',
    name: 'Roo Code',
    format: 'json',
    serversKey: 'mcpServers',
    project: path.join('.roo', 'mcp.json'),
    user: (paths) => path.join(vscodeUser(paths), 'globalStorage', 'rooveterinaryinc.roo-cline', 'settings', 'mcp_settings.json'),
    modes: ['bridge', 'inline'],
    entry: (server, mode) =>
      mode === 'inline' ? { type: 'streamable-http', url: server.url, headers: server.headers } : stdio(server, 'stdio'),
  },
  cline: {
    id: 'cline',
    name: 'Cline',
    format: 'json',
    serversKey: 'mcpServers',
    user: (paths) => path.join(vscodeUser(paths), 'globalStorage', 'saoudrizwan.claude-dev', 'settings', 'cline_mcp_settings.json'),
    modes: ['bridge', 'inline'],
    entry: (server, mode) =>
      mode === 'inline' ? { type: 'streamableHttp', url: server.url, headers: server.headers } : stdio(server, 'stdio'),
  },
  windsurf: {
    id: 'windsurf',
    name: 'Windsurf',
    format: 'json',
    serversKey: 'mcpServers',
    user: (paths) => under(paths, undefined, '.codeium', 'windsurf', 'mcp_config.json'),
    modes: ['bridge', 'inline'],
    entry: (server, mode) => (mode === 'inline' ? { serverUrl: server.url, headers: server.headers } : stdio(server)),
  },
  gemini: {
    id: 'gemini',
    name: 'Gemini CLI',
    format: 'json',
    serversKey: 'mcpServers',
    project: path.join('.gemini', 'settings.json'),
    user: (paths) => under(paths, paths.env.GEMINI_CLI_HOME, '.gemini', 'settings.json'),
    modes: ['bridge', 'inline'],
    entry: (server, mode) => (mode === 'inline' ? { type: 'http', url: server.url, headers: server.headers } : stdio(server)),
    projectTrust: (project) =>
      `Gemini CLI runs no MCP server in a folder it does not trust: run \`gemini\` here and trust it, or add {"${project}": "TRUST_FOLDER"} to ~/.gemini/trustedFolders.json`,
  },
  codex: {
    id: 'codex',
    name: 'Codex',
    format: 'toml',
    serversKey: 'mcp_servers',
    project: path.join('.codex', 'config.toml'),
    user: (paths) =>
      paths.env.CODEX_HOME ? under(paths, paths.env.CODEX_HOME, 'config.toml') : under(paths, undefined, '.codex', 'config.toml'),
    modes: ['helper', 'bridge', 'inline'],
    entry: (server, mode) =>
      mode === 'helper'
        ? { url: server.url, http_headers_helper: server.helper }
        : mode === 'inline'
          ? { url: server.url, http_headers: server.headers }
          : { command: server.bridge.command, args: server.bridge.args },
    projectTrust: (project) =>
      `Codex reads .codex/config.toml only in a trusted project: let Codex trust this folder when it asks, or add [projects."${project}"] trust_level = "trusted" to ~/.codex/config.toml`,
  },
  'claude-desktop': {
    id: 'claude-desktop',
    name: 'Claude Desktop',
    format: 'json',
    serversKey: 'mcpServers',
    user: (paths) =>
      paths.platform === 'win32'
        ? path.win32.join(paths.env.APPDATA ?? path.win32.join(paths.home, 'AppData', 'Roaming'), 'Claude', 'claude_desktop_config.json')
        : paths.platform === 'darwin'
          ? path.join(paths.home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json')
          : path.join(paths.env.XDG_CONFIG_HOME ?? path.join(paths.home, '.config'), 'Claude', 'claude_desktop_config.json'),
    // Its file takes stdio servers only.
    modes: ['bridge'],
    entry: (server) => stdio(server),
  },
};
