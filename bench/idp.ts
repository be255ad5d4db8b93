/**
 * Starts the local Keycloak-shaped identity provider for the benchmarks and writes a .env for it
 * (path in argv[2]); runs until killed.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { startLocalIdp } from '../test/servers/local-idp.js';

const envFile = process.argv[2] ?? 'bench.env';
const secret = randomBytes(24).toString('base64url');
const idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'bench-m2m', clientSecret: secret }] });
writeFileSync(
  envFile,
  [
    `AUTH_PROVIDER=keycloak`,
    `KEYCLOAK_URL=${idp.baseUrl}`,
    'KEYCLOAK_M2M_CLIENT_ID=bench-m2m',
    `KEYCLOAK_M2M_CLIENT_SECRET=${secret}`,
    'REGISTRY_URL=https://gateway.example.com',
    `TOKEN_ENDPOINT=${idp.tokenEndpoint}`,
    '',
  ].join('\n'),
  { mode: 0o600 },
);
process.stdout.write('ready\n');
process.on('SIGTERM', () => void idp.close().then(() => process.exit(0)));
