import path from 'node:path';
import { CLIENTS, type ClientDescription, type ClientId, type Mode, type Scope, type ServerTarget } from '../clients/catalogue.js';
import { ConfigError, UsageError } from '../errors.js';
import { backupOnce, folderExists, readClientFile, writeClientFile } from '../install/client-file.js';
import { openDocument } from '../install/documents.js';
import { GATEWAY_SERVER } from '../render/servers.js';
import { listTokens } from '../store/token-files.js';
import type { Deps } from './deps.js';
import { serverHeaders } from './fresh-credentials.js';
import { entryHash, readLedger, updateLedger, type InstallRecord } from './install-ledger.js';
import { listedServers } from './listed-servers.js';
import { bridgeCommand, headersHelperCommand } from './program-commands.js';

export interface InstallInput {
  client: ClientId;
  scope: Scope | undefined;
  mode: Mode | undefined;
  /** The servers to install; empty: every gateway server (see gatewayServers). */
  servers: readonly string[];
  /** Show the resulting file instead of writing it. */
  print: boolean;
}

export interface InstallResult {
  client: ClientDescription;
  scope: Scope;
  mode: Mode;
  file: string;
  servers: string[];
  /** False when the file already held exactly this (it was left alone). */
  changed: boolean;
  /** With `print`: the file as it would be. */
  printed?: string;
  /** What the user still has to do (trust the project, ...). */
  notes: string[];
}

/** The client, scope and file an install or uninstall is about; a scope the client lacks is a usage error. */
export function targetOf(
  deps: Pick<Deps, 'config' | 'system'>,
  clientId: ClientId,
  scope: Scope | undefined,
): { client: ClientDescription; scope: Scope; file: string } {
  const client = CLIENTS[clientId];
  const chosen: Scope = scope ?? (client.project ? 'project' : 'user');
  if (chosen === 'project' && !client.project) {
    throw new UsageError(`${client.name} has no project configuration file`, `use --scope user (${client.user(deps.system)})`);
  }
  const file = chosen === 'project' && client.project ? path.join(deps.config.settings.cwd, client.project) : client.user(deps.system);
  return { client, scope: chosen, file };
}

/**
 * Every gateway server: its own (`mcpgw`), each egress and AgentCore server configured or with a
 * token, the MCP_SERVERS entries and, with `auto`, the servers the gateway lists.
 */
async function gatewayServers(deps: Deps): Promise<string[]> {
  const { config } = deps;
  const tokens = await listTokens(deps.store);
  const names = [
    GATEWAY_SERVER,
    ...config.egress.value.map((set) => set.server),
    ...config.agentcore.value.map((set) => set.server),
    ...tokens.filter((token) => token.kind === 'egress' || token.kind === 'agentcore').map((token) => token.name),
    ...config.settings.mcpServers,
    ...(config.settings.listedServers ? await listedServers(deps) : []),
  ];
  return [...new Set(names)];
}

/** A server in every form an entry may take; the tokens only for `inline`. */
export async function targets(deps: Deps, servers: readonly string[], mode: Mode): Promise<ServerTarget[]> {
  const registry = deps.config.settings.registryUrl;
  if (registry === undefined) {
    throw new ConfigError('REGISTRY_URL is not set, so the servers have no address', {
      hint: "set REGISTRY_URL to the gateway's base URL, e.g. https://gateway.example.com",
    });
  }
  const helper = headersHelperCommand(deps);
  const bridge = bridgeCommand(deps);
  const result: ServerTarget[] = [];
  for (const name of servers) {
    const headers = mode === 'inline' ? await serverHeaders(deps, name) : {};
    result.push({ name, url: `${registry}/${encodeURIComponent(name)}/mcp`, helper: helper(name), bridge: bridge(name), headers });
  }
  return result;
}

/**
 * Merges one entry per gateway server into a client's own configuration file. Steps:
 * 1. the file of the client and scope; an entry of the same name that `install` did not write
 *    (not in installed.json, or changed since) is a configuration error naming it, and nothing
 *    is written;
 * 2. the entries are set; without --server (every gateway server), entries of an earlier install for
 *    servers that are gone are removed; with --server, only the named servers are touched;
 * 3. the file is written only when it changes (installing twice gives the same bytes), atomically,
 *    keeping its mode (600 when new; narrowed to 600, with a warning, when it will hold tokens),
 *    with one backup of it as it was before the first install;
 * 4. installed.json records what was written.
 */
export async function install(deps: Deps, input: InstallInput): Promise<InstallResult> {
  const { client, scope, file } = targetOf(deps, input.client, input.scope);
  const mode: Mode = input.mode ?? client.modes[0] ?? 'bridge';
  if (!client.modes.includes(mode)) {
    throw new UsageError(`${client.name} cannot take --mode ${mode}`, `use --mode ${client.modes.join(' or --mode ')}`);
  }
  const names = input.servers.length > 0 ? [...new Set(input.servers)] : await gatewayServers(deps);
  const entries = (await targets(deps, names, mode)).map((target) => ({ name: target.name, value: client.entry(target, mode) }));

  const found = await readClientFile(file);
  const folderExisted = await folderExists(path.dirname(file));
  const document = await openDocument(client.format, file, found.text ?? '', client.serversKey);
  const records = await readLedger(deps.store);
  const previous = records.find((record) => record.client === client.id && record.file === file);
  const ours = (name: string): boolean => {
    const existing = document.get(name);
    return existing !== undefined && previous?.servers[name]?.hash === entryHash(existing);
  };
  const foreign = names.filter((name) => document.get(name) !== undefined && !ours(name));
  if (foreign.length > 0) {
    throw new ConfigError(
      `${file} already has ${foreign.length === 1 ? 'a server' : 'servers'} named ${foreign.join(', ')} that mcpgw-creds did not write; it leaves ${foreign.length === 1 ? 'it' : 'them'} alone, so nothing was written`,
      { hint: 'rename or remove them in the file, or choose other servers with --server NAME' },
    );
  }
  // Without --server the set is every gateway server: an earlier entry for one that is gone goes.
  const gone = input.servers.length === 0 ? Object.keys(previous?.servers ?? {}).filter((name) => !names.includes(name)) : [];
  for (const name of gone) if (ours(name)) document.remove(name);
  const kept = Object.fromEntries(Object.entries(previous?.servers ?? {}).filter(([name]) => !gone.includes(name)));
  for (const entry of entries) document.set(entry.name, entry.value);
  const text = document.text();
  const notes = scope === 'project' && client.projectTrust ? [client.projectTrust(deps.config.settings.cwd)] : [];
  const result = { client, scope, mode, file, servers: names, notes };
  if (input.print) return { ...result, changed: text !== found.text, printed: text };

  const changed = text !== found.text;
  if (changed) {
    let fileMode = found.mode ?? 0o600;
    if (mode === 'inline' && (fileMode & 0o077) !== 0) {
      deps.log.warn(`${file} was open to others (mode ${fileMode.toString(8)}); narrowed to 600, because it now holds tokens`);
      fileMode = 0o600;
    }
    if (found.text !== undefined) await backupOnce(file, found.text);
    await writeClientFile(file, text, fileMode);
  }
  const record: InstallRecord = {
    client: client.id,
    scope,
    file,
    servers: { ...kept, ...Object.fromEntries(entries.map((entry) => [entry.name, { hash: entryHash(entry.value), mode }])) },
    created: previous?.created ?? found.text === undefined,
    ...((previous?.createdFolder ?? !folderExisted) ? { createdFolder: true } : {}),
  };
  await updateLedger(deps.store, (all) => [...all.filter((r) => !(r.client === client.id && r.file === file)), record]);
  return { ...result, changed };
}
