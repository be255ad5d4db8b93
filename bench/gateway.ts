/**
 * Starts the local identity provider and a gateway-like MCP server for the bridge benchmark, writes
 * a .env for them (path in argv[2]), and runs until killed.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { startGateway } from '../test/servers/gateway.js';
import { startLocalIdp } from '../test/servers/local-idp.js';

const envFile = process.argv[2] ?? 'bench.env';
const secret = randomBytes(24).toString('base64url');
const idp = await startLocalIdp({ shape: 'keycloak', clients: [{ clientId: 'bench-m2m', clientSecret: secret }] });
const gateway = await startGateway({ issuer: idp.issuer, jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`, servers: ['mcpgw'] });
writeFileSync(
  envFile,
  [
    'AUTH_PROVIDER=keycloak',
    `KEYCLOAK_URL=${idp.baseUrl}`,
    'KEYCLOAK_M2M_CLIENT_ID=bench-m2m',
    `KEYCLOAK_M2M_CLIENT_SECRET=${secret}`,
    `REGISTRY_URL=${gateway.url}`,
    '',
  ].join('\n'),
  { mode: 0o600 },
);
process.stdout.write('ready\n');
process.on('SIGTERM', () => void Promise.all([gateway.close(), idp.close()]).then(() => process.exit(0)));
