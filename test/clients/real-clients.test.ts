/**
 * Real third-party MCP clients from npm, offline, each in a throwaway HOME: they read the files
 * `mcpgw-creds install` wrote and connect through them to a gateway-like server that checks the
 * token. Claude Code gets the helper mode (its headersHelper runs `mcpgw-creds headers`), Gemini
 * CLI the bridge (it runs `mcpgw-creds bridge` over stdio). The clients come from
 * scripts/fetch-clients.sh; without them this file fails, it does not skip.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, runCli } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { startGateway, type Gateway } from '../servers/gateway.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

const CLIENTS = path.join(REPO, '.cache', 'clients', 'node_modules', '.bin');
const SECRET = 'real-clients-secret-0123456789';
let idp: LocalIdp;
let gateway: Gateway;

beforeAll(async () => {
  for (const client of ['claude', 'gemini', 'codex']) {
    if (!existsSync(path.join(CLIENTS, client)))
      throw new Error(`${client} is not in ${CLIENTS}: run scripts/fetch-clients.sh (scripts/test.sh does)`);
  }
  idp = await startLocalIdp({
    shape: 'keycloak',
    clients: [{ clientId: 'm2m', clientSecret: SECRET, groups: ['mcp-servers-unrestricted'] }],
  });
  gateway = await startGateway({
    issuer: idp.issuer,
    jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`,
    servers: ['mcpgw', 'currenttime'],
  });
});
afterAll(async () => {
  await gateway?.close();
  await idp?.close();
});

/** A project with a token, a throwaway HOME, and the environment of both. */
async function project(): Promise<{ cwd: string; home: string; env: Record<string, string> }> {
  const cwd = makeWorkdir('mcpgw-clients-');
  const home = path.join(cwd, '.home');
  mkdirSync(home);
  writeFileSync(
    path.join(cwd, '.env'),
    `AUTH_PROVIDER=keycloak\nKEYCLOAK_URL=${idp.baseUrl}\nKEYCLOAK_M2M_CLIENT_ID=m2m\nKEYCLOAK_M2M_CLIENT_SECRET=${SECRET}\nREGISTRY_URL=${gateway.url}\nMCP_SERVERS=currenttime\n`,
    { mode: 0o600 },
  );
  const env = { HOME: home };
  expect((await runCli(['--ingress-only'], { cwd, env })).code).toBe(0);
  return { cwd, home, env };
}

/** Runs a client to its end (bounded), without blocking this process, where the servers live. */
function runClient(
  command: string,
  args: string[],
  cwd: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(CLIENTS, command), args, {
      cwd,
      env: { PATH: `${path.dirname(process.execPath)}:/usr/bin:/bin`, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('real MCP clients connect through what install wrote', () => {
  it('Claude Code (`claude mcp list`), helper mode: .mcp.json carries no token, its headersHelper gets them', async () => {
    const { cwd, home, env } = await project();
    const installed = await runCli(['install', 'claude-code'], { cwd, env });
    expect(installed.code).toBe(0);
    expect(installed.stderr).toContain('Claude Code runs project servers only after you trust the folder');
    const file = readFileSync(path.join(cwd, '.mcp.json'), 'utf8');
    expect(file).toContain('headersHelper');
    expect(file).not.toContain('Bearer');

    // The trust and approval a person would give (see the note install printed).
    mkdirSync(path.join(home, '.claude'));
    writeFileSync(path.join(home, '.claude', 'settings.json'), JSON.stringify({ enableAllProjectMcpServers: true }));
    writeFileSync(path.join(home, '.claude.json'), JSON.stringify({ projects: { [cwd]: { hasTrustDialogAccepted: true } } }));
    const seen = gateway.seen.length;
    const listed = await runClient('claude', ['mcp', 'list'], cwd, {
      ...env,
      DISABLE_AUTOUPDATER: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_ERROR_REPORTING: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    });
    expect(listed.stdout, listed.stderr).toMatch(/mcpgw: .*\/mcpgw\/mcp \(HTTP\) - ✔ Connected/);
    expect(listed.stdout).toMatch(/currenttime: .* - ✔ Connected/);
    const requests = gateway.seen.slice(seen);
    expect(requests.filter((r) => r.server === 'mcpgw' && r.status === 200).length).toBeGreaterThan(0);
    expect(requests.every((r) => r.status === 200)).toBe(true);
  }, 120_000);

  it('Gemini CLI (`gemini mcp list`), bridge mode: .gemini/settings.json carries no token, the bridge gets them', async () => {
    const { cwd, home, env } = await project();
    const installed = await runCli(['install', 'gemini'], { cwd, env });
    expect(installed.code).toBe(0);
    expect(installed.stderr).toContain('Gemini CLI runs no MCP server in a folder it does not trust');
    const file = readFileSync(path.join(cwd, '.gemini', 'settings.json'), 'utf8');
    expect(JSON.parse(file).mcpServers.mcpgw.args).toContain('bridge');
    expect(file).not.toContain('Bearer');

    mkdirSync(path.join(home, '.gemini'));
    writeFileSync(
      path.join(home, '.gemini', 'settings.json'),
      JSON.stringify({
        general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
        privacy: { usageStatisticsEnabled: false },
        telemetry: { enabled: false },
      }),
    );
    writeFileSync(path.join(home, '.gemini', 'trustedFolders.json'), JSON.stringify({ [cwd]: 'TRUST_FOLDER' }));
    const seen = gateway.seen.length;
    const listed = await runClient('gemini', ['mcp', 'list'], cwd, env);
    // Gemini CLI prints its list on stderr.
    const output = listed.stdout + listed.stderr;
    expect(output).toMatch(/✓ mcpgw: .*bridge --server mcpgw .*\(stdio\) - Connected/);
    expect(output).toMatch(/✓ currenttime: .* - Connected/);
    expect(gateway.seen.slice(seen).some((r) => r.server === 'mcpgw' && r.status === 200)).toBe(true);
  }, 120_000);

  it('Codex (`codex mcp list --json`) reads the TOML install writes, in helper and bridge mode, next to a table of its own', async () => {
    const { cwd, home, env } = await project();
    const codexHome = path.join(home, '.codex');
    mkdirSync(codexHome);
    // Offline: no update check, no analytics.
    writeFileSync(path.join(codexHome, 'config.toml'), 'check_for_update_on_startup = false\n\n[analytics]\nenabled = false\n');
    expect((await runCli(['install', 'codex', '--scope', 'user'], { cwd, env })).code).toBe(0);
    expect((await runCli(['install', 'codex', '--scope', 'user', '--mode', 'bridge', '--server', 'currenttime'], { cwd, env })).code).toBe(
      0,
    );
    const file = readFileSync(path.join(codexHome, 'config.toml'), 'utf8');
    expect(file.startsWith('check_for_update_on_startup = false\n\n[analytics]\nenabled = false\n')).toBe(true);
    expect(file).not.toContain('Bearer');
    const listed = await runClient('codex', ['mcp', 'list', '--json'], cwd, env);
    expect(listed.code, listed.stderr).toBe(0);
    const servers = JSON.parse(listed.stdout) as Array<{ name: string; enabled: boolean; transport: Record<string, unknown> }>;
    expect(servers.map((server) => [server.name, server.enabled, server.transport.type])).toEqual([
      ['currenttime', true, 'stdio'],
      ['mcpgw', true, 'streamable_http'],
    ]);
    expect(servers[1]?.transport.url).toBe(`${gateway.url}/mcpgw/mcp`);
    expect(servers[1]?.transport.http_headers_helper).toBeTruthy();
    expect(servers[0]?.transport.args).toContain('bridge');
  }, 120_000);
});
