/**
 * The tokens directory's layout: every file name mcpgw-creds reads or writes there, how a name is
 * recognised, and which fields hold secrets. No other module spells these names.
 *
 * | file                                   | what                                         |
 * |----------------------------------------|----------------------------------------------|
 * | `ingress.json`                         | the ingress token                            |
 * | `agent-{id}.json`                      | an agent's client (`client_id`, `client_secret`) |
 * | `agent-{id}-token.json`                | that agent's token                           |
 * | `{provider}-{server}-egress.json`      | an egress token (`{provider}-egress.json` when the server is the provider) |
 * | `bedrock-agentcore-{server}-egress.json` | an AgentCore token                         |
 * | `vscode_mcp.json`, `mcp.json`, `claude_mcp.json` | rendered client configurations     |
 * | `watcher.json`                         | the running watcher's pid                    |
 * | `installed.json`                       | the client entries `install` wrote           |
 * | `{file}.lock`                          | a directory: the lock of `{file}`, while held |
 *
 * `keycloak create-agent` refuses agent ids that end in `-token` or `-egress`, so that an agent's file
 * is never also another agent's token file, nor an egress token of a provider named `agent`. An
 * older `agent-{id}-egress.json` is still read as an agent when it holds a `client_secret`.
 */

export const INGRESS_FILE = 'ingress.json';
export const WATCHER_FILE = 'watcher.json';
/** What `install` wrote into which client's file, for `uninstall`, `refresh` and `status`. */
export const INSTALLED_FILE = 'installed.json';
export const AGENTCORE_PROVIDER = 'bedrock-agentcore';

/** A file's lock (a directory beside it, while a run holds it). */
export function lockOf(name: string): string {
  return `${name}.lock`;
}

/** The rendered client configurations, in the order they are written. */
export const RENDERED_FILES = {
  vscode: 'vscode_mcp.json',
  mcpJson: 'mcp.json',
  claude: 'claude_mcp.json',
} as const;

/** Record fields whose values are secrets: registered for redaction when read or written. */
export const SECRET_FIELDS = ['access_token', 'refresh_token', 'client_secret'] as const;

/** The token fields the keychain store keeps out of the files. */
export const TOKEN_SECRET_FIELDS = ['access_token', 'refresh_token'] as const;

const AGENT_TOKEN = /^agent-(.+)-token\.json$/;
const AGENT_DEFINITION = /^agent-(.+)\.json$/;
const EGRESS_SUFFIX = '-egress.json';

export function agentFile(agentId: string): string {
  return `agent-${agentId}.json`;
}

export function agentTokenFile(agentId: string): string {
  return `agent-${agentId}-token.json`;
}

/** `{provider}-{server}-egress.json`, or `{provider}-egress.json` when the server is the provider. */
export function egressFile(provider: string, server: string): string {
  return server === provider ? `${provider}${EGRESS_SUFFIX}` : `${provider}-${server}${EGRESS_SUFFIX}`;
}

export function agentCoreFile(server: string): string {
  return egressFile(AGENTCORE_PROVIDER, server);
}

/** Whether an agent id can name files of its own (see above). */
export function isAgentIdFree(agentId: string): boolean {
  return !agentId.endsWith('-token') && !agentId.endsWith('-egress');
}

/**
 * The agent id of a file that may define an agent (`agent-{id}.json`, not a token file); whether it
 * does, its content says (a `client_secret`).
 */
export function agentIdOf(name: string): string | undefined {
  return AGENT_TOKEN.test(name) ? undefined : AGENT_DEFINITION.exec(name)?.[1];
}

export type FileRole =
  | { role: 'ingress' }
  | { role: 'agent-token'; agentId: string }
  | { role: 'agent'; agentId: string }
  /** Egress or AgentCore: which one, and for which server, the record itself says. */
  | { role: 'server-token' }
  | { role: 'rendered' }
  | { role: 'watcher' }
  | { role: 'installed' };

/** What a file of the tokens directory is, by its name; undefined for anything else. */
export function roleOf(name: string): FileRole | undefined {
  if (name === INGRESS_FILE) return { role: 'ingress' };
  if (name === WATCHER_FILE) return { role: 'watcher' };
  if (name === INSTALLED_FILE) return { role: 'installed' };
  if ((Object.values(RENDERED_FILES) as string[]).includes(name)) return { role: 'rendered' };
  const agentToken = AGENT_TOKEN.exec(name)?.[1];
  if (agentToken !== undefined) return { role: 'agent-token', agentId: agentToken };
  if (name.endsWith(EGRESS_SUFFIX)) return { role: 'server-token' };
  const agent = AGENT_DEFINITION.exec(name)?.[1];
  if (agent !== undefined) return { role: 'agent', agentId: agent };
  return undefined;
}

/** The names a server's egress or AgentCore token file can have, whatever its provider. */
export function mayHoldServerToken(name: string, server: string): boolean {
  return name === `${server}${EGRESS_SUFFIX}` || name.endsWith(`-${server}${EGRESS_SUFFIX}`);
}
