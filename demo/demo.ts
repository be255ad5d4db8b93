/**
 * `npm run demo`: the whole main job on this machine, with no account anywhere. Starts a
 * Keycloak-shaped identity provider (oidc-provider, in this process, on 127.0.0.1) that also plays
 * an Atlassian-shaped external provider, writes a demo configuration, runs `mcpgw-creds --all`
 * (ingress, an agent, the browser sign-in for egress, rendering), runs it again (everything
 * reused), and shows what was written. Secrets are generated for the run and never printed.
 *
 * With a display, the CLI opens your browser: sign in as demo-user / demo-password. Without one
 * (or with `npm run demo -- --headless`), the demo signs in for you over HTTP, as a browser would.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { canOpenBrowser } from '../src/adapters/browser.js';
import { signInOverHttp } from '../test/drivers/http-browser.js';
import { closedPort } from '../test/servers/fault-server.js';
import { startLocalIdp, type LocalIdp } from '../test/servers/local-idp.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'mcpgw-creds.js');
const out = path.join(repo, 'demo-output');
const tokensDir = path.join(out, '.oauth-tokens');
const envFile = path.join(out, 'demo.env');
const styled = process.stdout.isTTY && !process.env.NO_COLOR;
const bold = (text: string): string => (styled ? `\x1b[1m${text}\x1b[0m` : text);
const dim = (text: string): string => (styled ? `\x1b[2m${text}\x1b[0m` : text);
const headless = process.argv.includes('--headless') || !canOpenBrowser(process.env);
const say = (text = ''): void => void process.stdout.write(`${text}\n`);
const rel = (file: string): string => path.relative(process.cwd(), file) || '.';

/** The variables mcpgw-creds reads: the demo's own configuration must not be overridden by the shell's. */
const OWN_VARIABLES =
  /^(AUTH_PROVIDER|KEYCLOAK_|INGRESS_OAUTH_|AWS_REGION|COGNITO_DOMAIN|EGRESS_|REGISTRY_URL|MCP_SERVERS|MCPGW_|AGENTCORE_)/;

function cliEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !OWN_VARIABLES.test(key)));
}

function runCli(args: string[]): Promise<number> {
  say(bold(`$ mcpgw-creds ${args.join(' ')}`));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: process.cwd(), env: cliEnv(), stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

/**
 * Runs the CLI while playing the user's browser: reads the authorization URL it prints, signs in
 * on the provider's login page over HTTP, and follows the redirect to the CLI's callback.
 */
function runCliSigningIn(args: string[], callbackOrigin: string): Promise<number> {
  say(bold(`$ mcpgw-creds ${args.join(' ')}`));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: process.cwd(), env: cliEnv(), stdio: ['ignore', 'inherit', 'pipe'] });
    let seen = '';
    let signedIn = false;
    child.stderr.on('data', (chunk: Buffer) => {
      process.stderr.write(chunk);
      seen += chunk.toString('utf8');
      const url = /^\s+(http:\/\/127\.0\.0\.1:\d+\/realms\/\S+)$/m.exec(seen)?.[1];
      if (url && !signedIn) {
        signedIn = true;
        say(dim('   [demo] no display here: signing in as demo-user over HTTP, as a browser would'));
        signInOverHttp(url, { callbackOrigin, username: 'demo-user', password: 'demo-password' }).then(
          (result) =>
            say(dim(`   [demo] the callback page answered ${result.status}: "${/<h1[^>]*>([^<]*)</.exec(result.body ?? '')?.[1] ?? ''}"`)),
          reject,
        );
      }
    });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function writeDemoProvider(dir: string, idp: LocalIdp): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'atlassian.yaml'),
    [
      "# The demo's stand-in for Atlassian: the same fields as providers/atlassian.yaml, aimed at the local provider.",
      'display_name: Atlassian (demo)',
      `issuer: ${idp.issuer}`,
      'authorization_response_iss_parameter_supported: true',
      `auth_url: ${idp.issuer}/protocol/openid-connect/auth`,
      `token_url: ${idp.issuer}/protocol/openid-connect/token`,
      `cloud_id_url: ${idp.baseUrl}/oauth/token/accessible-resources`,
      'scopes: [read:jira-work, write:jira-work, offline_access]',
      'auth_params: { audience: api.atlassian.com, prompt: consent }',
      'mcp_headers: { X-Atlassian-Cloud-Id: "{cloud_id}" }',
      '',
    ].join('\n'),
  );
}

function shorten(token: string): string {
  return `${token.slice(0, 10)}…(${token.length} characters)`;
}

async function main(): Promise<void> {
  const gatewaySecret = randomBytes(24).toString('base64url');
  const agentSecret = randomBytes(24).toString('base64url');
  const idp = await startLocalIdp({
    shape: 'keycloak',
    scopes: ['mcp-gateway', 'read:jira-work', 'write:jira-work', 'offline_access'],
    sites: [{ id: 'demo-cloud-0001', name: 'Demo Site', url: 'https://demo-site.atlassian.net' }],
    clients: [
      { clientId: 'mcp-gateway-m2m', clientSecret: gatewaySecret, groups: ['mcp-servers-unrestricted'] },
      { clientId: 'agent-demo-agent-m2m', clientSecret: agentSecret, groups: ['mcp-servers-restricted'] },
      { clientId: 'demo-atlassian-app', redirectUris: ['http://127.0.0.1/callback'], grantTypes: ['authorization_code', 'refresh_token'] },
    ],
  });
  const callbackPort = await closedPort();
  try {
    say(bold('1. A local identity provider'));
    say(`   Keycloak-shaped OpenID provider at ${idp.issuer}`);
    say('   (oidc-provider in this process, on 127.0.0.1 only; nothing leaves this machine).');
    say('   It also plays Atlassian for egress: a login page, PKCE required, one site.');
    say();

    rmSync(out, { recursive: true, force: true });
    mkdirSync(tokensDir, { recursive: true, mode: 0o700 });
    writeFileSync(
      envFile,
      [
        '# Written by npm run demo. The secrets were generated for this run.',
        'AUTH_PROVIDER=keycloak',
        `KEYCLOAK_URL=${idp.baseUrl}`,
        'KEYCLOAK_REALM=mcp-gateway',
        'KEYCLOAK_M2M_CLIENT_ID=mcp-gateway-m2m',
        `KEYCLOAK_M2M_CLIENT_SECRET=${gatewaySecret}`,
        'REGISTRY_URL=https://gateway.example.com',
        'MCP_SERVERS=currenttime,fininfo',
        `MCPGW_PROVIDERS_DIR=${rel(path.join(out, 'providers'))}`,
        'EGRESS_PROVIDER_NAME_1=atlassian',
        'EGRESS_OAUTH_CLIENT_ID_1=demo-atlassian-app',
        `EGRESS_OAUTH_REDIRECT_URI_1=http://127.0.0.1:${callbackPort}/callback`,
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    // An agent is a file in the tokens directory (mcpgw-creds keycloak create-agent writes these).
    writeFileSync(
      path.join(tokensDir, 'agent-demo-agent.json'),
      JSON.stringify(
        { client_id: 'agent-demo-agent-m2m', client_secret: agentSecret, keycloak_url: idp.baseUrl, realm: 'mcp-gateway' },
        null,
        2,
      ),
      { mode: 0o600 },
    );
    writeDemoProvider(path.join(out, 'providers'), idp);
    say(bold('2. A configuration'));
    say(`   ${rel(envFile)}: AUTH_PROVIDER=keycloak, KEYCLOAK_URL, the M2M client, REGISTRY_URL, MCP_SERVERS,`);
    say('   and egress set 1 (EGRESS_PROVIDER_NAME_1=atlassian, a public PKCE client, a loopback redirect URI)');
    say(`   ${rel(path.join(out, 'providers', 'atlassian.yaml'))}: overrides the built-in atlassian provider to point here`);
    say(`   ${rel(path.join(tokensDir, 'agent-demo-agent.json'))}: one agent with its own client`);
    say();

    say(bold('3. The main job: ingress token, agent token, egress sign-in, then the client configurations'));
    if (!headless) say('   Your browser opens: sign in as demo-user with the password demo-password.');
    const args = ['--all', '--env-file', rel(envFile), '--tokens-dir', rel(tokensDir)];
    const first = headless ? await runCliSigningIn([...args, '--no-browser'], `http://127.0.0.1:${callbackPort}`) : await runCli(args);
    say();
    say(bold('4. Again: tokens valid for more than 5 minutes are reused, with no request'));
    const before = idp.tokenRequests().length;
    const second = await runCli(args);
    say(`   token requests made by the second run: ${idp.tokenRequests().length - before}`);
    say();

    say(bold(`5. What was written to ${rel(tokensDir)} (mode 700)`));
    for (const name of readdirSync(tokensDir).sort()) {
      const info = statSync(path.join(tokensDir, name));
      say(`   ${(info.mode & 0o777).toString(8)}  ${String(info.size).padStart(5)}  ${name}`);
    }
    const ingress = JSON.parse(readFileSync(path.join(tokensDir, 'ingress.json'), 'utf8')) as Record<string, string>;
    const claims = JSON.parse(Buffer.from(ingress.access_token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >;
    say();
    say(bold('6. The ingress token the gateway will check (claims decoded, not verified)'));
    say(`   issuer ${String(claims.iss)}, audience ${String(claims.aud)}, groups ${JSON.stringify(claims.groups)}`);
    say(`   expires ${ingress.expires_at_human}`);
    const egress = JSON.parse(readFileSync(path.join(tokensDir, 'atlassian-egress.json'), 'utf8')) as Record<string, string>;
    say(
      `   egress: atlassian-egress.json for the server ${egress.server}, site ${egress.cloud_id}, refresh token kept: ${egress.refresh_token ? 'yes' : 'no'}`,
    );
    say();
    say(bold(`7. ${rel(path.join(tokensDir, 'mcp.json'))} for Roo Code / Claude Code: two of its servers (tokens shortened here)`));
    const mcp = JSON.parse(readFileSync(path.join(tokensDir, 'mcp.json'), 'utf8')) as { mcpServers: Record<string, unknown> };
    say(`   servers: ${Object.keys(mcp.mcpServers).join(', ')}`);
    const shown = { mcpgw: mcp.mcpServers.mcpgw, atlassian: mcp.mcpServers.atlassian };
    const text = JSON.stringify(shown, null, 2).replace(/Bearer ([A-Za-z0-9._~+/=-]+)/g, (_, token: string) => `Bearer ${shorten(token)}`);
    say(text.replace(/^/gm, '   '));
    say();
    say(bold('8. What is stored, and how each token renews (no request is made)'));
    await runCli(['status', '--tokens-dir', rel(tokensDir)]);
    say();
    say(`Next, for your gateway: README.md, "Five minutes: a developer with Keycloak and Claude Code or VS Code":`);
    say('write .env with its values, run mcpgw-creds --ingress-only, then mcpgw-creds install claude-code (or vscode, cursor, ...).');
    process.exitCode = first || second;
  } finally {
    await idp.close();
  }
}

await main();
