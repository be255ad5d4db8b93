import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A real Secret Service for the keychain tests: a private D-Bus session bus with gnome-keyring
 * (unlocked, secrets component) on it, in a throwaway HOME. Pass `env` to every process that
 * should use it. ./scripts/test.sh installs dbus, gnome-keyring and libsecret-tools.
 */
export interface SecretService {
  env: { DBUS_SESSION_BUS_ADDRESS: string; HOME: string };
  /** What libsecret's secret-tool finds for an account of a service (undefined when nothing). */
  lookup(service: string, account: string): string | undefined;
  stop(): Promise<void>;
}

function require(command: string, pkg: string): void {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) {
    throw new Error(`${command} is missing: run ./scripts/test.sh, which installs ${pkg}`);
  }
}

export async function startSecretService(): Promise<SecretService> {
  require('dbus-daemon', 'dbus');
  require('gnome-keyring-daemon', 'gnome-keyring');
  require('secret-tool', 'libsecret-tools');
  const home = mkdtempSync(path.join(tmpdir(), 'mcpgw-keyring-'));
  const bus: ChildProcess = spawn('dbus-daemon', ['--session', '--nofork', '--print-address=1'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const address = await new Promise<string>((resolve, reject) => {
    let text = '';
    bus.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (text.includes('\n')) resolve(text.trim());
    });
    bus.once('exit', (code) => reject(new Error(`dbus-daemon exited (${code})`)));
  });
  const env = { DBUS_SESSION_BUS_ADDRESS: address, HOME: home };
  // --unlock reads the new login keyring's password from stdin, then the daemon goes to the background.
  const keyring = spawnSync('gnome-keyring-daemon', ['--unlock', '--components=secrets'], {
    input: 'test-keyring-password',
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (keyring.status !== 0) throw new Error(`gnome-keyring-daemon failed (${keyring.status}): ${keyring.stderr}`);
  return {
    env,
    lookup: (service, account) => {
      const found = spawnSync('secret-tool', ['lookup', 'service', service, 'username', account], {
        env: { ...process.env, ...env },
        encoding: 'utf8',
      });
      return found.status === 0 && found.stdout !== '' ? found.stdout : undefined;
    },
    stop: async () => {
      // Only our daemon: the one whose environment has this HOME (a developer's own keyring lives on).
      const pids = spawnSync('pgrep', ['-f', 'gnome-keyring-daemon'], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`HOME=${home}`)) process.kill(Number(pid), 'SIGTERM');
        } catch {
          // gone already
        }
      }
      bus.kill('SIGTERM');
    },
  };
}
