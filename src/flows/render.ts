import { MCP_JSON_FILE, renderMcpJson } from '../render/mcp-json.js';
import { buildServers, type RenderInput } from '../render/servers.js';
import { renderVscode, VSCODE_FILE } from '../render/vscode.js';
import type { Clock } from '../ports.js';
import { asTokenRecord, INGRESS_FILE, type TokenRecord } from '../store/records.js';
import type { TokenStore } from '../store/token-store.js';

export interface RenderDeps {
  store: TokenStore;
  clock: Clock;
  warn: (message: string) => void;
  onSecret: (value: string) => void;
}

export interface RenderOptions {
  registryUrl: string | undefined;
  mcpServers: readonly string[];
  providerHeaders: RenderInput['providerHeaders'];
}

export interface RenderResult {
  status: 'ok' | 'skipped';
  files: string[];
  servers: string[];
  reason?: string;
}

/** The client configurations written on every render (SPEC §7). */
const RENDERERS: ReadonlyArray<{ file: string; render: (servers: ReturnType<typeof buildServers>) => unknown }> = [
  { file: VSCODE_FILE, render: renderVscode },
  { file: MCP_JSON_FILE, render: renderMcpJson },
];

/** The token records rendering starts from: `ingress.json` and every `*-egress.json`. */
export async function readRenderableRecords(
  store: TokenStore,
): Promise<{ ingress: TokenRecord | undefined; egress: TokenRecord[] }> {
  const files = await store.list();
  const ingress = files.includes(INGRESS_FILE) ? asTokenRecord(await store.readJson(INGRESS_FILE)) : undefined;
  const egress: TokenRecord[] = [];
  for (const file of files.filter((name) => name.endsWith('-egress.json'))) {
    const record = asTokenRecord(await store.readJson(file));
    if (record && typeof record.server === 'string') egress.push(record);
  }
  return { ingress, egress };
}

/**
 * Writes the client configurations from all the token files present. Steps: read the records,
 * warn about expired ones, build the server list, write each file (atomic, mode 600) under one lock.
 */
export async function renderClientConfigs(deps: RenderDeps, options: RenderOptions): Promise<RenderResult> {
  if (options.registryUrl === undefined) {
    return { status: 'skipped', files: [], servers: [], reason: 'REGISTRY_URL is not set' };
  }
  const registryUrl = options.registryUrl;
  return deps.store.withLock(MCP_JSON_FILE, async () => {
    const { ingress, egress } = await readRenderableRecords(deps.store);
    const now = Math.floor(deps.clock.now() / 1000);
    for (const record of [ingress, ...egress]) {
      if (!record) continue;
      deps.onSecret(record.access_token);
      if (record.expires_at <= now) {
        deps.warn(`the ${typeof record.server === 'string' ? `${record.server} ` : 'ingress '}token has expired; it is rendered anyway`);
      }
    }
    if (!ingress) deps.warn(`no ${INGRESS_FILE}: the rendered servers carry no X-Authorization header (run with --ingress-only)`);
    const servers = buildServers({ registryUrl, ingress, egress, mcpServers: options.mcpServers, providerHeaders: options.providerHeaders, warn: deps.warn });
    const files: string[] = [];
    for (const renderer of RENDERERS) files.push(await deps.store.writeJson(renderer.file, renderer.render(servers)));
    return { status: 'ok', files, servers: servers.map((server) => server.name) };
  });
}
