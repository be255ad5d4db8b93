import { CLAUDE_FILE, renderClaude } from '../render/claude.js';
import { MCP_JSON_FILE, renderMcpJson } from '../render/mcp-json.js';
import { buildServers, type RenderInput } from '../render/servers.js';
import { renderVscode, VSCODE_FILE } from '../render/vscode.js';
import type { Clock } from '../ports.js';
import { AGENTCORE_PROVIDER, INGRESS_FILE, type TokenRecord } from '../store/records.js';
import { listTokens } from '../store/token-files.js';
import { serializeJson, type TokenStore } from '../store/token-store.js';

export interface RenderDeps {
  store: TokenStore;
  clock: Clock;
  warn: (message: string) => void;
  onSecret: (value: string) => void;
}

export interface RenderOptions {
  registryUrl: string | undefined;
  mcpServers: readonly string[];
  /** The providers' `mcp_headers`; loaded only when an egress token file is present. */
  loadProviderHeaders: () => Promise<RenderInput['providerHeaders']>;
  /** The command that prints a server's headers, for Claude Code's `headersHelper`. */
  headersHelper: (server: string) => string;
}

export interface RenderResult {
  status: 'ok' | 'skipped';
  files: string[];
  servers: string[];
  /** False when every file already held exactly what was rendered. */
  changed: boolean;
  reason?: string;
}

type Servers = ReturnType<typeof buildServers>;

/** The client configurations written on every render (SPEC §7, and Claude Code's). */
function renderers(options: RenderOptions): ReadonlyArray<{ file: string; render: (servers: Servers) => unknown }> {
  return [
    { file: VSCODE_FILE, render: renderVscode },
    { file: MCP_JSON_FILE, render: renderMcpJson },
    { file: CLAUDE_FILE, render: (servers) => renderClaude(servers, options.headersHelper) },
  ];
}

/** The token records rendering starts from: `ingress.json` and every `*-egress.json` (egress and AgentCore). */
async function readRenderableRecords(store: TokenStore): Promise<{ ingress: TokenRecord | undefined; egress: TokenRecord[] }> {
  const tokens = await listTokens(store);
  return {
    ingress: tokens.find((token) => token.kind === 'ingress')?.record,
    egress: tokens.filter((token) => token.kind === 'egress' || token.kind === 'agentcore').map((token) => token.record),
  };
}

/**
 * Writes the client configurations from all the token files present. Steps: read the records, warn
 * about expired ones, build the server list, render each file; a file whose bytes would not change
 * is left alone (no write, and editors watching it see no change). Writing happens under one lock,
 * from records read again under it.
 */
export async function renderClientConfigs(deps: RenderDeps, options: RenderOptions): Promise<RenderResult> {
  if (options.registryUrl === undefined) {
    return { status: 'skipped', files: [], servers: [], changed: false, reason: 'REGISTRY_URL is not set' };
  }
  const registryUrl = options.registryUrl;
  const render = async (write: boolean, warn: (message: string) => void): Promise<RenderResult> => {
    const { ingress, egress } = await readRenderableRecords(deps.store);
    const now = Math.floor(deps.clock.now() / 1000);
    for (const record of [ingress, ...egress]) {
      if (!record) continue;
      deps.onSecret(record.access_token);
      if (record.expires_at <= now) {
        warn(`the ${typeof record.server === 'string' ? `${record.server} ` : 'ingress '}token has expired; it is rendered anyway`);
      }
    }
    if (!ingress) warn(`no ${INGRESS_FILE}: the rendered servers carry no X-Authorization header (run with --ingress-only)`);
    const providerHeaders = egress.some((record) => record.provider !== AGENTCORE_PROVIDER) ? await options.loadProviderHeaders() : () => undefined;
    const servers = buildServers({ registryUrl, ingress, egress, mcpServers: options.mcpServers, providerHeaders, warn });
    let changed = false;
    for (const renderer of renderers(options)) {
      const value = renderer.render(servers);
      if ((await deps.store.readText(renderer.file)) === serializeJson(value)) continue;
      changed = true;
      if (write) await deps.store.writeJson(renderer.file, value);
    }
    return { status: 'ok', files: renderers(options).map((renderer) => deps.store.pathOf(renderer.file)), servers: servers.map((s) => s.name), changed };
  };
  const unchanged = await render(false, deps.warn);
  if (!unchanged.changed) return unchanged;
  return deps.store.withLock(MCP_JSON_FILE, () => render(true, () => undefined));
}
