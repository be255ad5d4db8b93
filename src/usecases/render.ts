import { renderClaude } from '../render/claude.js';
import { renderMcpJson } from '../render/mcp-json.js';
import { buildServers, type ServerEntry } from '../render/servers.js';
import { renderVscode } from '../render/vscode.js';
import { AGENTCORE_PROVIDER, INGRESS_FILE, RENDERED_FILES } from '../store/layout.js';
import type { TokenRecord } from '../store/records.js';
import { listTokens } from '../store/token-files.js';
import { serializeJson } from '../store/token-store.js';
import { epochSeconds } from '../flows/freshness.js';
import type { Deps } from './deps.js';
import { listedServers } from './listed-servers.js';
import { headersHelperCommand } from './program-commands.js';
import type { FailedOutcome, RenderedOutcome, SkippedOutcome } from './outcome.js';

type RenderDeps = Pick<Deps, 'config' | 'store' | 'clock' | 'log' | 'providers' | 'program' | 'fetch'>;

/** The client configurations written on every render, and how each is made from the server list. */
function renderers(helper: (server: string) => string): ReadonlyArray<{ file: string; render: (servers: ServerEntry[]) => unknown }> {
  return [
    { file: RENDERED_FILES.vscode, render: renderVscode },
    { file: RENDERED_FILES.mcpJson, render: renderMcpJson },
    { file: RENDERED_FILES.claude, render: (servers) => renderClaude(servers, helper) },
  ];
}

/** The token records rendering starts from: the ingress token and every egress and AgentCore token. */
async function renderableRecords(deps: RenderDeps): Promise<{ ingress: TokenRecord | undefined; egress: TokenRecord[] }> {
  const tokens = await listTokens(deps.store);
  return {
    ingress: tokens.find((token) => token.kind === 'ingress')?.record,
    egress: tokens.filter((token) => token.kind === 'egress' || token.kind === 'agentcore').map((token) => token.record),
  };
}

/**
 * Writes the client configurations from all the token files present. Steps: read the records, warn
 * about expired ones, build the server list, render each file; a file whose bytes would not change
 * is left alone (no write, and editors watching it see no change). Writing happens under one lock,
 * from records read again under it. Without REGISTRY_URL nothing is written (skipped).
 */
export async function renderConfigs(deps: RenderDeps): Promise<RenderedOutcome | SkippedOutcome | FailedOutcome> {
  const { registryUrl } = deps.config.settings;
  if (registryUrl === undefined) {
    deps.log.warn("client configurations not written: REGISTRY_URL is not set; set it to the gateway's URL");
    return { step: 'render', status: 'skipped', reason: 'REGISTRY_URL is not set' };
  }
  const files = renderers(headersHelperCommand(deps));
  const mcpServers = [...deps.config.settings.mcpServers, ...(deps.config.settings.listedServers ? await listedServers(deps) : [])];
  const render = async (write: boolean, warn: (message: string) => void): Promise<RenderedOutcome> => {
    const { ingress, egress } = await renderableRecords(deps);
    const now = epochSeconds(deps.clock);
    for (const record of [ingress, ...egress]) {
      if (record && record.expires_at <= now) {
        warn(`the ${typeof record.server === 'string' ? `${record.server} ` : 'ingress '}token has expired; it is rendered anyway`);
      }
    }
    if (!ingress) warn(`no ${INGRESS_FILE}: the rendered servers carry no X-Authorization header (run with --ingress-only)`);
    const providerHeaders = egress.some((record) => record.provider !== AGENTCORE_PROVIDER)
      ? await deps.providers().then((catalogue) => (name: string) => catalogue.get(name)?.mcp_headers)
      : () => undefined;
    const servers = buildServers({ registryUrl, ingress, egress, mcpServers, providerHeaders, warn });
    let changed = false;
    for (const renderer of files) {
      const value = renderer.render(servers);
      if ((await deps.store.readText(renderer.file)) === serializeJson(value)) continue;
      changed = true;
      if (write) await deps.store.writeJson(renderer.file, value);
    }
    return { step: 'render', status: 'ok', files: files.map((renderer) => deps.store.pathOf(renderer.file)), changed };
  };
  try {
    const unchanged = await render(false, (message) => deps.log.warn(message));
    if (!unchanged.changed) return unchanged;
    return await deps.store.withLock(RENDERED_FILES.mcpJson, () => render(true, () => undefined));
  } catch (error) {
    return { step: 'render', status: 'failed', error };
  }
}

/** Re-renders after a renewal, only where configurations were rendered before (cheap when there are none). */
export async function rerenderIfRendered(deps: RenderDeps): Promise<RenderedOutcome | SkippedOutcome | FailedOutcome | undefined> {
  if (deps.config.settings.registryUrl === undefined) return undefined;
  const present = await deps.store.list();
  if (!Object.values(RENDERED_FILES).some((file) => present.includes(file))) return undefined;
  return renderConfigs(deps);
}
