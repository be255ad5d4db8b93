import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { SecretRegistry } from '../secrets.js';
import { FsTokenStore } from './fs-token-store.js';
import { agentFile, agentTokenFile, egressFile, isAgentIdFree, mayHoldServerToken, roleOf } from './layout.js';
import { SecretRegisteringStore } from './secret-registering-store.js';
import { findServerToken, listTokens } from './token-files.js';

const uid = process.getuid?.();
const tempDir = (): string => mkdtempSync(path.join(tmpdir(), 'mcpgw-store-'));
const modeOf = (file: string): number => statSync(file).mode & 0o777;
const record = (fields: Record<string, unknown>): Record<string, unknown> => ({
  provider: 'keycloak_m2m',
  access_token: 'access-token-0123456789',
  token_type: 'Bearer',
  expires_at: 2_000_000_000,
  expires_at_human: '',
  client_id: 'c',
  saved_at: 1_999_996_400,
  ...fields,
});

describe('the tokens directory layout', () => {
  it.each([
    ['ingress.json', 'ingress'],
    ['agent-alpha.json', 'agent'],
    ['agent-alpha-token.json', 'agent-token'],
    ['atlassian-egress.json', 'server-token'],
    ['bedrock-agentcore-tools-egress.json', 'server-token'],
    ['mcp.json', 'rendered'],
    ['vscode_mcp.json', 'rendered'],
    ['claude_mcp.json', 'rendered'],
    ['watcher.json', 'watcher'],
    ['notes.json', undefined],
  ])('%s is a %s file', (name, role) => expect(roleOf(name)?.role).toBe(role));

  it('never lets an agent file and an agent token file share a name', () => {
    expect(roleOf(agentTokenFile('alpha'))).toEqual({ role: 'agent-token', agentId: 'alpha' });
    expect(roleOf(agentFile('alpha'))).toEqual({ role: 'agent', agentId: 'alpha' });
    // An agent "x-token" would own agent-x-token.json, which is agent x's token file: refused.
    expect(isAgentIdFree('x-token')).toBe(false);
    expect(isAgentIdFree('tokenizer')).toBe(true);
  });

  it("names egress files by provider and server, and finds a server's candidates", () => {
    expect(egressFile('atlassian', 'atlassian')).toBe('atlassian-egress.json');
    expect(egressFile('google', 'gdrive')).toBe('google-gdrive-egress.json');
    expect(mayHoldServerToken('google-gdrive-egress.json', 'gdrive')).toBe(true);
    expect(mayHoldServerToken('google-gdrive-egress.json', 'drive')).toBe(false);
  });
});

describe('FsTokenStore', () => {
  it('creates the directory at 700 and every file at 600, and narrows a looser directory with a warning', async () => {
    const parent = tempDir();
    const warnings: string[] = [];
    const store = new FsTokenStore(path.join(parent, 'tokens'), { warn: (m) => warnings.push(m), owner: uid });
    const file = await store.writeJson('ingress.json', record({}));
    expect(modeOf(path.join(parent, 'tokens'))).toBe(0o700);
    expect(modeOf(file)).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toBe(`${JSON.stringify(record({}), null, 2)}\n`);

    const loose = path.join(parent, 'loose');
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    await new FsTokenStore(loose, { warn: (m) => warnings.push(m), owner: uid }).writeJson('mcp.json', {});
    expect(modeOf(loose)).toBe(0o700);
    expect(warnings.join('\n')).toContain('narrowed to 700');
  });

  it('refuses to read or write through a symbolic link, leaving its target alone', async () => {
    const dir = tempDir();
    const target = path.join(dir, 'elsewhere.txt');
    writeFileSync(target, 'untouched');
    const store = new FsTokenStore(path.join(dir, 'tokens'), { warn: () => undefined, owner: uid });
    await store.writeJson('mcp.json', {});
    symlinkSync(target, path.join(dir, 'tokens', 'ingress.json'));
    await expect(store.readJson('ingress.json')).rejects.toThrow(StoreError);
    await expect(store.writeJson('ingress.json', record({}))).rejects.toThrow(/symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
    expect(lstatSync(path.join(dir, 'tokens', 'ingress.json')).isSymbolicLink()).toBe(true);
  });

  it('refuses names that are not plain file names', () => {
    const store = new FsTokenStore(tempDir(), { warn: () => undefined, owner: uid });
    expect(() => store.pathOf('../escape.json')).toThrow(StoreError);
    expect(() => store.pathOf('a/b.json')).toThrow(StoreError);
  });

  it('runs read-modify-write under one lock at a time', async () => {
    const store = new FsTokenStore(tempDir(), { warn: () => undefined, owner: uid });
    await store.writeJson('counter.json', { n: 0 });
    const bump = (): Promise<void> =>
      store.withLock('counter.json', async () => {
        const { n } = (await store.readJson('counter.json')) as { n: number };
        await new Promise((resolve) => setTimeout(resolve, 20));
        await store.writeJson('counter.json', { n: n + 1 });
      });
    await Promise.all([bump(), bump(), bump(), bump()]);
    expect(await store.readJson('counter.json')).toEqual({ n: 4 });
  });

  it('lets one holder keep a lock; a second gets none', async () => {
    const store = new FsTokenStore(tempDir(), { warn: () => undefined, owner: uid });
    const release = await store.hold('watcher.json');
    expect(release).toBeTypeOf('function');
    expect(await store.hold('watcher.json')).toBeUndefined();
    await release?.();
    const again = await store.hold('watcher.json');
    expect(again).toBeTypeOf('function');
    await again?.();
  });
});

describe('SecretRegisteringStore', () => {
  it('registers every secret field it reads or writes, so output is redacted', async () => {
    const secrets = new SecretRegistry();
    const store = new SecretRegisteringStore(new FsTokenStore(tempDir(), { warn: () => undefined, owner: uid }), secrets);
    await store.writeJson('ingress.json', record({ refresh_token: 'refresh-token-0123456789' }));
    await store.writeJson('agent-a.json', { client_id: 'a', client_secret: 'agent-secret-0123456789' });
    expect(secrets.redact('access-token-0123456789 refresh-token-0123456789 agent-secret-0123456789')).toBe(
      '[redacted] [redacted] [redacted]',
    );

    const other = new SecretRegistry();
    const reader = new SecretRegisteringStore(new FsTokenStore(store.dir, { warn: () => undefined, owner: uid }), other);
    await reader.readJson('agent-a.json');
    expect(other.redact('agent-secret-0123456789')).toBe('[redacted]');
  });
});

describe('token files', () => {
  it('lists ingress, agent, AgentCore and egress tokens in that order, and nothing else', async () => {
    const store = new FsTokenStore(tempDir(), { warn: () => undefined, owner: uid });
    await store.writeJson('zeta-egress.json', record({ provider: 'zeta', server: 'zeta' }));
    await store.writeJson('bedrock-agentcore-tools-egress.json', record({ provider: 'bedrock-agentcore', server: 'tools' }));
    await store.writeJson('agent-alpha-token.json', record({ agent_id: 'alpha' }));
    await store.writeJson('agent-alpha.json', { client_id: 'a', client_secret: 'agent-secret-0123456789' });
    await store.writeJson('ingress.json', record({}));
    await store.writeJson('mcp.json', { mcpServers: {} });
    const tokens = await listTokens(store);
    expect(tokens.map((t) => `${t.kind}:${t.name}`)).toEqual(['ingress:ingress', 'agent:alpha', 'agentcore:tools', 'egress:zeta']);
    expect((await findServerToken(store, 'tools'))?.kind).toBe('agentcore');
    expect(await findServerToken(store, 'nope')).toBeUndefined();
  });
});
