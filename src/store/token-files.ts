import { AGENTCORE_PROVIDER, asTokenRecord, INGRESS_FILE, type TokenRecord } from './records.js';
import type { TokenStore } from './token-store.js';

export type TokenKind = 'ingress' | 'agent' | 'agentcore' | 'egress';

export interface StoredToken {
  file: string;
  kind: TokenKind;
  /** The agent id or server; `ingress` for the ingress token. */
  name: string;
  record: TokenRecord;
}

const AGENT_TOKEN = /^agent-(.+)-token\.json$/;

function kindOf(file: string, record: TokenRecord): { kind: TokenKind; name: string } | undefined {
  if (file === INGRESS_FILE) return { kind: 'ingress', name: 'ingress' };
  const agent = AGENT_TOKEN.exec(file)?.[1];
  if (agent !== undefined && typeof record.agent_id === 'string') return { kind: 'agent', name: agent };
  if (file.endsWith('-egress.json') && typeof record.server === 'string') {
    return { kind: record.provider === AGENTCORE_PROVIDER ? 'agentcore' : 'egress', name: record.server };
  }
  return undefined;
}

/** Every token file of the store (ingress, agents, AgentCore, egress), in a stable order. */
export async function listTokens(store: TokenStore): Promise<StoredToken[]> {
  const tokens: StoredToken[] = [];
  for (const file of await store.list()) {
    if (file !== INGRESS_FILE && !AGENT_TOKEN.test(file) && !file.endsWith('-egress.json')) continue;
    const record = asTokenRecord(await store.readJson(file));
    const kind = record && kindOf(file, record);
    if (record && kind) tokens.push({ file, ...kind, record });
  }
  const rank: Record<TokenKind, number> = { ingress: 0, agent: 1, agentcore: 2, egress: 3 };
  return tokens.sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name));
}

/**
 * The egress or AgentCore token of a server. Only files whose names can belong to it are read
 * (`{provider}-{server}-egress.json`, `{server}-egress.json`), so this stays fast.
 */
export async function findServerToken(store: TokenStore, server: string): Promise<StoredToken | undefined> {
  const candidates = (await store.list()).filter((file) => file === `${server}-egress.json` || file.endsWith(`-${server}-egress.json`));
  for (const file of candidates) {
    const record = asTokenRecord(await store.readJson(file));
    const kind = record && kindOf(file, record);
    if (record && kind && kind.name === server) return { file, ...kind, record };
  }
  return undefined;
}

export async function readIngress(store: TokenStore): Promise<StoredToken | undefined> {
  const record = asTokenRecord(await store.readJson(INGRESS_FILE));
  return record ? { file: INGRESS_FILE, kind: 'ingress', name: 'ingress', record } : undefined;
}
