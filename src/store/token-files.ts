import { AGENTCORE_PROVIDER, agentTokenFile, INGRESS_FILE, mayHoldServerToken, roleOf } from './layout.js';
import { asTokenRecord, type TokenRecord } from './records.js';
import type { TokenStore } from './token-store.js';

type TokenKind = 'ingress' | 'agent' | 'agentcore' | 'egress';

export interface StoredToken {
  file: string;
  kind: TokenKind;
  /** The agent id or server; `ingress` for the ingress token. */
  name: string;
  record: TokenRecord;
}

/** What a token file holds, from its name and its record; undefined for anything else. */
function tokenOf(file: string, record: TokenRecord): Omit<StoredToken, 'record' | 'file'> | undefined {
  const role = roleOf(file);
  if (role?.role === 'ingress') return { kind: 'ingress', name: 'ingress' };
  if (role?.role === 'agent-token' && typeof record.agent_id === 'string') return { kind: 'agent', name: role.agentId };
  if (role?.role === 'server-token' && typeof record.server === 'string') {
    return { kind: record.provider === AGENTCORE_PROVIDER ? 'agentcore' : 'egress', name: record.server };
  }
  return undefined;
}

async function read(store: TokenStore, file: string): Promise<StoredToken | undefined> {
  const record = asTokenRecord(await store.readJson(file));
  const token = record && tokenOf(file, record);
  return record && token ? { file, ...token, record } : undefined;
}

const isTokenFile = (file: string): boolean => ['ingress', 'agent-token', 'server-token'].includes(roleOf(file)?.role ?? '');

/** Every token file of the store (ingress, agents, AgentCore, egress), in a stable order. */
export async function listTokens(store: TokenStore): Promise<StoredToken[]> {
  const tokens: StoredToken[] = [];
  for (const file of (await store.list()).filter(isTokenFile)) {
    const token = await read(store, file);
    if (token) tokens.push(token);
  }
  const rank: Record<TokenKind, number> = { ingress: 0, agent: 1, agentcore: 2, egress: 3 };
  return tokens.sort((a, b) => rank[a.kind] - rank[b.kind] || a.name.localeCompare(b.name));
}

/**
 * The egress or AgentCore token of a server. Only files whose names can belong to it are read,
 * so this stays fast.
 */
export async function findServerToken(store: TokenStore, server: string): Promise<StoredToken | undefined> {
  for (const file of (await store.list()).filter((name) => mayHoldServerToken(name, server))) {
    const token = await read(store, file);
    if (token?.name === server) return token;
  }
  return undefined;
}

export function readIngress(store: TokenStore): Promise<StoredToken | undefined> {
  return read(store, INGRESS_FILE);
}

export function readAgentToken(store: TokenStore, agentId: string): Promise<StoredToken | undefined> {
  return read(store, agentTokenFile(agentId));
}
