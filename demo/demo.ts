/**
 * `npm run demo`: the whole main job on this machine, with no account anywhere. Starts a
 * Keycloak-shaped identity provider (oidc-provider, in this process, on 127.0.0.1), writes a demo
 * configuration, runs `mcpgw-creds --all` twice (the second run reuses the tokens), and shows what
 * was written. Secrets are generated for the run and never printed.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalIdp } from '../test/servers/local-idp.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = path.join(repo, 'bin', 'mcpgw-creds.js');
const out = path.join(repo, 'demo-output');
const tokensDir = path.join(out, '.oauth-tokens');
const envFile = path.join(out, 'demo.env');
const bold = (text: string): string => (process.stdout.isTTY && !process.env.NO_COLOR ? `\x1b[1m${text}\x1b[0m` : text);
const say = (text = ''): void => void process.stdout.write(`${text}\n`);
const rel = (file: string): string => path.relative(process.cwd(), file) || '.';

/** The variables mcpgw-creds reads: the demo's own configuration must not be overridden by the shell's. */
const OWN_VARIABLES = /^(AUTH_PROVIDER|KEYCLOAK_|INGRESS_OAUTH_|AWS_REGION|COGNITO_DOMAIN|EGRESS_|REGISTRY_URL|MCP_SERVERS|MCPGW_|AGENTCORE_)/;

function runCli(args: string[]): Promise<number> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !OWN_VARIABLES.test(key)));
  say(bold(`$ mcpgw-creds ${args.join(' ')}`));
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: process.cwd(), env, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

function shorten(token: string): string {
  return `${token.slice(0, 10)}…(${token.length} characters)`;
}

async function main(): Promise<void> {
  const gatewaySecret = randomBytes(24).toString('base64url');
  const agentSecret = randomBytes(24).toString('base64url');
  const idp = await startLocalIdp({
    shape: 'keycloak',
    clients: [
      { clientId: 'mcp-gateway-m2m', clientSecret: gatewaySecret, groups: ['mcp-servers-unrestricted'] },
      { clientId: 'agent-demo-agent-m2m', clientSecret: agentSecret, groups: ['mcp-servers-restricted'] },
    ],
  });
  try {
    say(bold('1. A local identity provider'));
    say(`   Keycloak-shaped OpenID provider at ${idp.issuer}`);
    say('   (oidc-provider in this process, on 127.0.0.1 only; nothing leaves this machine)');
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
        '',
      ].join('\n'),
      { mode: 0o600 },
    );
    // An agent is a file in the tokens directory (mcpgw-creds keycloak create-agent writes these).
    writeFileSync(
      path.join(tokensDir, 'agent-demo-agent.json'),
      JSON.stringify({ client_id: 'agent-demo-agent-m2m', client_secret: agentSecret, keycloak_url: idp.baseUrl, realm: 'mcp-gateway' }, null, 2),
      { mode: 0o600 },
    );
    say(bold('2. A configuration'));
    say(`   ${rel(envFile)}: AUTH_PROVIDER=keycloak, KEYCLOAK_URL, the M2M client, REGISTRY_URL, MCP_SERVERS`);
    say(`   ${rel(path.join(tokensDir, 'agent-demo-agent.json'))}: one agent with its own client`);
    say();

    say(bold('3. The main job: ingress token, agent token, then the client configurations'));
    const args = ['--all', '--env-file', rel(envFile), '--tokens-dir', rel(tokensDir)];
    const first = await runCli(args);
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
    const claims = JSON.parse(Buffer.from(ingress.access_token?.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    say();
    say(bold('6. The ingress token the gateway will check (claims decoded, not verified)'));
    say(`   issuer ${String(claims.iss)}, audience ${String(claims.aud)}, groups ${JSON.stringify(claims.groups)}`);
    say(`   expires ${ingress.expires_at_human}`);
    say();
    say(bold(`7. ${rel(path.join(tokensDir, 'mcp.json'))} for Roo Code / Claude Code (tokens shortened here)`));
    const text = readFileSync(path.join(tokensDir, 'mcp.json'), 'utf8').replace(/Bearer ([A-Za-z0-9._~+/=-]+)/g, (_, token: string) => `Bearer ${shorten(token)}`);
    say(text.replace(/^/gm, '   ').trimEnd());
    say();
    say(`Next: copy .env.example to .env, fill in your gateway's values, and run npx mcpgw-creds.`);
    process.exitCode = first || second;
  } finally {
    await idp.close();
  }
}

await main();
