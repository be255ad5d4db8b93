import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO } from '../helpers/run-cli.js';
import { closedPort } from './fault-server.js';

const KEYCLOAK_VERSION = process.env.KEYCLOAK_VERSION ?? '26.5.6';
const CACHE = path.join(REPO, '.cache', 'keycloak');
const HOME = path.join(CACHE, `keycloak-${KEYCLOAK_VERSION}`);
const REALM_FILE = path.join(REPO, 'test', 'keycloak', 'mcp-gateway-realm.json');

export interface RunningKeycloak {
  baseUrl: string;
  issuer: string;
  admin: { username: string; password: string };
  /** Milliseconds from the start of `kc.sh` until the realm answered. */
  startMs: number;
  log: string;
  stop(): Promise<void>;
}

/** Fetches Keycloak when it is not in .cache/ yet (scripts/fetch-keycloak.sh); fails loudly otherwise. */
function ensureKeycloak(): void {
  if (existsSync(path.join(HOME, 'bin', 'kc.sh'))) return;
  const fetched = spawnSync(path.join(REPO, 'scripts', 'fetch-keycloak.sh'), {
    stdio: 'inherit',
    env: { ...process.env, KEYCLOAK_VERSION },
  });
  if (fetched.status !== 0 || !existsSync(path.join(HOME, 'bin', 'kc.sh'))) {
    throw new Error(
      `Keycloak ${KEYCLOAK_VERSION} could not be fetched into ${CACHE} (scripts/fetch-keycloak.sh exited ${fetched.status}): it needs mvn, java and unzip`,
    );
  }
}

/**
 * A real Keycloak on 127.0.0.1 (start-dev, in-memory database) with the test realm imported from
 * test/keycloak/mcp-gateway-realm.json. Ready when the realm's discovery document answers.
 */
export async function startKeycloak(timeoutMs = 180_000): Promise<RunningKeycloak> {
  ensureKeycloak();
  const port = await closedPort();
  mkdirSync(path.join(HOME, 'data', 'import'), { recursive: true });
  copyFileSync(REALM_FILE, path.join(HOME, 'data', 'import', 'mcp-gateway-realm.json'));
  const log = path.join(CACHE, `keycloak-test-${port}.log`);
  const admin = { username: 'admin', password: 'admin-test-password-0000' };
  const started = Date.now();
  const out = openSync(log, 'w');
  const child: ChildProcess = spawn(
    path.join(HOME, 'bin', 'kc.sh'),
    ['start-dev', '--http-host=127.0.0.1', `--http-port=${port}`, `--hostname=http://127.0.0.1:${port}`, '--db=dev-mem', '--import-realm'],
    {
      cwd: HOME,
      env: { ...process.env, KC_BOOTSTRAP_ADMIN_USERNAME: admin.username, KC_BOOTSTRAP_ADMIN_PASSWORD: admin.password },
      stdio: ['ignore', out, out],
      // Its own process group: stopping it stops the JVM that kc.sh starts.
      detached: true,
    },
  );
  let exited: number | null | undefined;
  child.on('exit', (code) => (exited = code));
  const baseUrl = `http://127.0.0.1:${port}`;
  const issuer = `${baseUrl}/realms/mcp-gateway`;
  const stop = async (): Promise<void> => {
    if (exited !== undefined || child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 100 && exited === undefined; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    if (exited === undefined) process.kill(-child.pid, 'SIGKILL');
  };
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`Keycloak exited (${exited}) before it was ready; its log (${log}) ends:\n${readFileSync(log, 'utf8').slice(-3000)}`);
    }
    if (Date.now() - started > timeoutMs) {
      await stop();
      throw new Error(
        `Keycloak was not ready within ${timeoutMs / 1000} s; its log (${log}) ends:\n${readFileSync(log, 'utf8').slice(-3000)}`,
      );
    }
    const ready = await fetch(`${issuer}/.well-known/openid-configuration`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { baseUrl, issuer, admin, startMs: Date.now() - started, log, stop };
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
