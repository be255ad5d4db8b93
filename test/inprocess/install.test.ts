import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess, TestClock } from '../helpers/in-process.js';
import { BIN } from '../helpers/run-cli.js';
import { makeWorkdir, readJson } from '../helpers/workdir.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';
import { VSCODE_MCP_JSON as VSCODE } from '../fixtures/vscode-mcp.js';

const SECRET = 'install-secret-0123456789';
let idp: LocalIdp;
beforeAll(async () => {
  idp = await startLocalIdp({ shape: 'keycloak', accessTokenTtl: 300, clients: [{ clientId: 'm2m', clientSecret: SECRET }] });
});
afterAll(() => idp.close());

interface Project {
  cwd: string;
  home: string;
  env: Record<string, string>;
}

function project(extra: Record<string, string> = {}): Project {
  const cwd = makeWorkdir('mcpgw-install-');
  const home = path.join(cwd, 'home');
  mkdirSync(home);
  return {
    cwd,
    home,
    env: {
      HOME: home,
      AUTH_PROVIDER: 'keycloak',
      KEYCLOAK_URL: idp.baseUrl,
      KEYCLOAK_M2M_CLIENT_ID: 'm2m',
      KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
      REGISTRY_URL: 'https://gateway.example.com',
      MCP_SERVERS: 'currenttime',
      ...extra,
    },
  };
}

const run = (p: Project, args: string[], options: { clock?: TestClock; secretsOnStdout?: boolean } = {}) =>
  runInProcess(args, {
    cwd: p.cwd,
    env: p.env,
    ...(options.clock ? { clock: options.clock } : {}),
    stdoutMayHoldSecrets: options.secretsOnStdout === true,
  });

const tokensDir = (p: Project): string => path.join(p.cwd, '.oauth-tokens');
const bridgeArgs = (p: Project, server: string): string[] => ['--', BIN, 'bridge', '--server', server, '--tokens-dir', tokensDir(p)];
const helper = (p: Project, server: string): string =>
  `${process.execPath} -- ${BIN} headers --server ${server} --tokens-dir ${tokensDir(p)}`;
const url = (server: string): string => `https://gateway.example.com/${server}/mcp`;

describe('install: the entry each client gets, in each mode', () => {
  // The project exists once the identity provider does; entries name its paths, so they are built late.
  let p: Project;
  beforeAll(async () => {
    p = project();
    expect((await run(p, ['--ingress-only'])).code).toBe(0);
  });
  const bridge = (server: string) => (): { command: string; args: string[] } => ({
    command: process.execPath,
    args: bridgeArgs(p, server),
  });
  const helped = (server: string) => (): string => helper(p, server);

  it.each([
    ['vscode', 'bridge', ['servers'], { type: 'stdio', BRIDGE: bridge('mcpgw') }],
    ['vscode', 'inline', ['servers'], { type: 'http', url: url('mcpgw'), headers: 'TOKENS' }],
    ['claude-code', 'helper', ['mcpServers'], { type: 'http', url: url('mcpgw'), headersHelper: helped('mcpgw') }],
    ['claude-code', 'bridge', ['mcpServers'], { type: 'stdio', BRIDGE: bridge('mcpgw') }],
    ['claude-code', 'inline', ['mcpServers'], { type: 'http', url: url('mcpgw'), headers: 'TOKENS' }],
    ['cursor', 'bridge', ['mcpServers'], { BRIDGE: bridge('mcpgw') }],
    ['cursor', 'inline', ['mcpServers'], { url: url('mcpgw'), headers: 'TOKENS' }],
    ['roo', 'bridge', ['mcpServers'], { type: 'stdio', BRIDGE: bridge('mcpgw') }],
    ['roo', 'inline', ['mcpServers'], { type: 'streamable-http', url: url('mcpgw'), headers: 'TOKENS' }],
    ['cline', 'bridge', ['mcpServers'], { type: 'stdio', BRIDGE: bridge('mcpgw') }],
    ['cline', 'inline', ['mcpServers'], { type: 'streamableHttp', url: url('mcpgw'), headers: 'TOKENS' }],
    ['windsurf', 'bridge', ['mcpServers'], { BRIDGE: bridge('mcpgw') }],
    ['windsurf', 'inline', ['mcpServers'], { serverUrl: url('mcpgw'), headers: 'TOKENS' }],
    ['gemini', 'bridge', ['mcpServers'], { BRIDGE: bridge('mcpgw') }],
    ['gemini', 'inline', ['mcpServers'], { type: 'http', url: url('mcpgw'), headers: 'TOKENS' }],
    ['claude-desktop', 'bridge', ['mcpServers'], { BRIDGE: bridge('mcpgw') }],
  ])('%s, --mode %s', async (client, mode, key, template) => {
    const resolve = (value: Record<string, unknown>): Record<string, unknown> => {
      const { BRIDGE, ...rest } = value as { BRIDGE?: () => Record<string, unknown> };
      const filled = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, typeof v === 'function' ? (v as () => unknown)() : v]));
      return { ...filled, ...(BRIDGE ? BRIDGE() : {}) };
    };
    const expected = resolve(template);
    const result = await run(p, ['install', client, '--mode', mode, '--print'], { secretsOnStdout: mode === 'inline' });
    expect(result.code, result.stderr).toBe(0);
    const entries = (readJsonText(result.stdout) as Record<string, Record<string, unknown>>)[key[0] as string] as Record<string, unknown>;
    expect(Object.keys(entries)).toEqual(['mcpgw', 'currenttime']);
    const entry = entries.mcpgw as Record<string, unknown>;
    if ((expected as { headers?: string }).headers === 'TOKENS') {
      const token = readJson(path.join(tokensDir(p), 'ingress.json')).access_token as string;
      expect(entry).toEqual({
        ...expected,
        headers: {
          'X-Authorization': `Bearer ${token}`,
          'X-Client-Id': 'm2m',
          'X-Keycloak-Realm': 'mcp-gateway',
          'X-Keycloak-URL': idp.baseUrl,
        },
      });
    } else {
      expect(entry).toEqual(expected);
      expect(result.stdout).not.toContain('Bearer');
    }
  });

  it.each([
    ['helper', '[mcp_servers.mcpgw]\nurl = "https://gateway.example.com/mcpgw/mcp"\nhttp_headers_helper = '],
    ['bridge', `[mcp_servers.mcpgw]\ncommand = "${process.execPath}"\nargs = [ "--", "${BIN}", "bridge", "--server", "mcpgw"`],
    ['inline', '[mcp_servers.mcpgw]\nurl = "https://gateway.example.com/mcpgw/mcp"\nhttp_headers = { X-Authorization = "Bearer '],
  ])('codex, --mode %s: a TOML table per server', async (mode, start) => {
    const result = await run(p, ['install', 'codex', '--mode', mode, '--print'], { secretsOnStdout: mode === 'inline' });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.startsWith(start)).toBe(true);
    expect(result.stdout).toContain('[mcp_servers.currenttime]');
  });

  it('refuses a mode a client does not have, and a scope it lacks', async () => {
    expect((await run(p, ['install', 'vscode', '--mode', 'helper'])).stderr).toContain('VS Code cannot take --mode helper');
    expect((await run(p, ['install', 'claude-desktop', '--mode', 'inline'])).code).toBe(2);
    expect((await run(p, ['install', 'cline', '--scope', 'project'])).stderr).toContain('Cline has no project configuration file');
    expect((await run(p, ['install', 'notepad'])).stderr).toContain('unknown client "notepad"');
  });
});

function readJsonText(text: string): unknown {
  return JSON.parse(text);
}

describe('install and uninstall on real-world files', () => {
  it('keeps comments, other servers and inputs; installing twice gives the same bytes; uninstall gives the original back', async () => {
    const p = project();
    const file = path.join(p.cwd, '.vscode', 'mcp.json');
    mkdirSync(path.dirname(file));
    writeFileSync(file, VSCODE.replace(/\n/g, '\r\n'), { mode: 0o644 });
    const first = await run(p, ['install', 'vscode']);
    expect(first.code, first.stderr).toBe(0);
    const installed = readFileSync(file, 'utf8');
    expect(installed).toContain("// the team's own");
    expect(installed).toContain('"inputs"');
    expect(installed).toContain('\t\t"mcpgw": {\r\n\t\t\t"type": "stdio"');
    expect(installed).not.toMatch(/[^\r]\n/);
    expect(statSync(file).mode & 0o777).toBe(0o644);
    expect(readFileSync(`${file}.mcpgw-creds.bak`, 'utf8')).toBe(VSCODE.replace(/\n/g, '\r\n'));
    expect(statSync(`${file}.mcpgw-creds.bak`).mode & 0o777).toBe(0o600);

    expect((await run(p, ['install', 'vscode'])).stderr).toContain('.vscode/mcp.json is up to date');
    expect(readFileSync(file, 'utf8')).toBe(installed);

    const removed = await run(p, ['uninstall', 'vscode']);
    expect(removed.code).toBe(0);
    expect(removed.stderr).toContain('it is byte for byte what it was before install');
    expect(readFileSync(file, 'utf8')).toBe(VSCODE.replace(/\n/g, '\r\n'));
    expect(existsSync(`${file}.mcpgw-creds.bak`)).toBe(false);
  });

  it('does the same for Codex TOML, keeping the user tables', async () => {
    const p = project();
    const file = path.join(p.home, '.codex', 'config.toml');
    mkdirSync(path.dirname(file));
    const original = '# mine\nmodel = "o4-mini"\n\n[mcp_servers.docs]\ncommand = "npx"\n\n[projects."/x"]\ntrust_level = "trusted"\n';
    writeFileSync(file, original, { mode: 0o600 });
    expect((await run(p, ['install', 'codex', '--scope', 'user'])).code).toBe(0);
    const installed = readFileSync(file, 'utf8');
    expect(installed.startsWith(original)).toBe(true);
    expect((await run(p, ['install', 'codex', '--scope', 'user'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(installed);
    expect((await run(p, ['uninstall', 'codex', '--scope', 'user'])).code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(original);
  });

  it('deletes a file (and folder) install created, when nothing else was added to it', async () => {
    const p = project();
    expect((await run(p, ['install', 'gemini'])).code).toBe(0);
    const file = path.join(p.cwd, '.gemini', 'settings.json');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect((await run(p, ['uninstall', 'gemini'])).stderr).toContain('install had created it, so it is gone');
    expect(existsSync(path.dirname(file))).toBe(false);
  });

  it('keeps what else was changed since install, and leaves an entry changed by hand alone', async () => {
    const p = project();
    const file = path.join(p.cwd, '.mcp.json');
    expect((await run(p, ['install', 'claude-code'])).code).toBe(0);
    const changed = JSON.parse(readFileSync(file, 'utf8'));
    changed.mcpServers.currenttime.url = 'https://elsewhere.example.com/mcp';
    changed.mcpServers.mine = { type: 'http', url: 'https://mine.example.com/mcp' };
    writeFileSync(file, JSON.stringify(changed, null, 2), { mode: 0o600 });
    const result = await run(p, ['uninstall', 'claude-code']);
    expect(result.stderr).toContain('removed mcpgw from .mcp.json; the rest of it is as you left it');
    expect(result.stderr).toContain('currenttime changed since install, so it was left alone');
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')).mcpServers)).toEqual(['currenttime', 'mine']);
  });

  it('with --server, adds or changes only the servers named, each in its own mode', async () => {
    const p = project();
    const file = path.join(p.cwd, '.mcp.json');
    expect((await run(p, ['install', 'claude-code'])).code).toBe(0);
    expect((await run(p, ['install', 'claude-code', '--server', 'currenttime', '--mode', 'bridge'])).code).toBe(0);
    const servers = JSON.parse(readFileSync(file, 'utf8')).mcpServers;
    expect(Object.keys(servers)).toEqual(['mcpgw', 'currenttime']);
    expect(servers.mcpgw.headersHelper).toBeDefined();
    expect(servers.currenttime.type).toBe('stdio');
    const status = JSON.parse((await run(p, ['status', '--json'])).stdout);
    expect(status.installed[0].servers).toEqual({ mcpgw: 'helper', currenttime: 'bridge' });
    expect((await run(p, ['uninstall', 'claude-code'])).stderr).toContain('install had created it, so it is gone');
  });

  it('never touches an entry it did not write, even under the same name (exit 2, nothing written)', async () => {
    const p = project();
    const file = path.join(p.cwd, '.cursor', 'mcp.json');
    mkdirSync(path.dirname(file));
    const original = '{ "mcpServers": { "mcpgw": { "url": "https://mine.example.com/mcp" } } }\n';
    writeFileSync(file, original, { mode: 0o600 });
    const result = await run(p, ['install', 'cursor']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`${file} already has a server named mcpgw that mcpgw-creds did not write`);
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(existsSync(`${file}.mcpgw-creds.bak`)).toBe(false);
    // Another server is fine.
    expect((await run(p, ['install', 'cursor', '--server', 'currenttime'])).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8')).mcpServers.mcpgw).toEqual({ url: 'https://mine.example.com/mcp' });
  });

  it('refuses a client file that is a symbolic link, leaving its target alone', async () => {
    const p = project();
    const target = path.join(p.cwd, 'real.json');
    writeFileSync(target, '{}\n');
    symlinkSync(target, path.join(p.cwd, '.mcp.json'));
    const result = await run(p, ['install', 'claude-code']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is a symbolic link; mcpgw-creds does not edit client configurations through links');
    expect(readFileSync(target, 'utf8')).toBe('{}\n');
  });
});

describe('inline entries', () => {
  it('narrow the file to 600 (with a warning), hold the tokens, and follow each renewal', async () => {
    const p = project();
    const clock = new TestClock();
    expect((await run(p, ['--ingress-only'], { clock })).code).toBe(0);
    const file = path.join(p.cwd, '.roo', 'mcp.json');
    mkdirSync(path.dirname(file));
    writeFileSync(file, '{}\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const installed = await run(p, ['install', 'roo', '--mode', 'inline'], { clock });
    expect(installed.stderr).toContain('narrowed to 600, because it now holds tokens');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const tokenIn = (): string => readJson(file).mcpServers.mcpgw.headers['X-Authorization'] as string;
    const first = tokenIn();
    expect(first).toBe(`Bearer ${readJson(path.join(tokensDir(p), 'ingress.json')).access_token}`);

    clock.advance(200);
    const refreshed = await run(p, ['refresh'], { clock });
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(refreshed.stderr).toContain(`installed entries: put the renewed tokens in ${file}`);
    expect(tokenIn()).not.toBe(first);
    expect(tokenIn()).toBe(`Bearer ${readJson(path.join(tokensDir(p), 'ingress.json')).access_token}`);

    const status = await run(p, ['status', '--json']);
    expect(JSON.parse(status.stdout).installed).toEqual([
      { client: 'roo', scope: 'project', file, servers: { mcpgw: 'inline', currenttime: 'inline' } },
    ]);
  });
});
