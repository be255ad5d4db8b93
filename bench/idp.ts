/**
 * Starts the local Keycloak-shaped identity provider for the benchmarks; runs until killed.
 * Writes, under the folder in argv[2]: `cli/.env` (the ingress settings, as a user's .env), and
 * `agents-1/` and `agents-100/`, each a tokens directory with that many agent files.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startLocalIdp } from '../test/servers/local-idp.js';

const work = process.argv[2] ?? '.';
const secret = randomBytes(24).toString('base64url');
const agentSecret = randomBytes(24).toString('base64url');
const agents = Array.from({ length: 100 }, (_, index) => `b${String(index).padStart(3, '0')}`);
const idp = await startLocalIdp({
  shape: 'keycloak',
  clients: [
    { clientId: 'bench-m2m', clientSecret: secret },
    ...agents.map((id) => ({ clientId: `agent-${id}-m2m`, clientSecret: agentSecret, groups: ['mcp-servers-restricted'] })),
  ],
});
mkdirSync(path.join(work, 'cli'), { recursive: true });
writeFileSync(
  path.join(work, 'cli', '.env'),
  [
    'AUTH_PROVIDER=keycloak',
    `KEYCLOAK_URL=${idp.baseUrl}`,
    'KEYCLOAK_M2M_CLIENT_ID=bench-m2m',
    `KEYCLOAK_M2M_CLIENT_SECRET=${secret}`,
    'REGISTRY_URL=https://gateway.example.com',
    '',
  ].join('\n'),
  { mode: 0o600 },
);
// curl's form, read from a file (-d @file): the secret never in argv.
writeFileSync(path.join(work, 'form'), `grant_type=client_credentials&client_id=bench-m2m&client_secret=${secret}`, { mode: 0o600 });
writeFileSync(path.join(work, 'token-endpoint'), idp.tokenEndpoint);
for (const count of [1, 100]) {
  const dir = path.join(work, `agents-${count}`, '.oauth-tokens');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (const id of agents.slice(0, count)) {
    writeFileSync(
      path.join(dir, `agent-${id}.json`),
      JSON.stringify({ client_id: `agent-${id}-m2m`, client_secret: agentSecret, keycloak_url: idp.baseUrl }),
      { mode: 0o600 },
    );
  }
}
process.stdout.write('ready\n');
process.on('SIGTERM', () => void idp.close().then(() => process.exit(0)));
