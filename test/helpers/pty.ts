import { spawn } from 'node:child_process';
import path from 'node:path';
import { BIN, expectNoSecrets, secretsOnDisk } from './run-cli.js';

export interface PtyCli {
  /** Everything the terminal showed (stdout and stderr share the terminal). */
  output(): string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** As waitFor, in what the terminal shows from now on (for a question asked a second time). */
  waitForNew(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  type(text: string): void;
  done: Promise<{ code: number | null; output: string }>;
}

const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI on a real pseudo-terminal (util-linux `script`), as a person at a terminal would:
 * stdin, stdout and stderr are a TTY, so the CLI may ask questions.
 */
export function startCliInPty(args: string[], options: { cwd: string; env: Record<string, string>; timeoutMs?: number }): PtyCli {
  const nodeDir = path.dirname(process.execPath);
  const env = {
    PATH: `${nodeDir}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: options.cwd,
    TERM: 'xterm',
    NO_COLOR: '1',
    ...options.env,
  };
  const command = [BIN, ...args].map(quote).join(' ');
  const child = spawn('script', ['--quiet', '--return', '--command', command, '/dev/null'], {
    cwd: options.cwd,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const watchers = new Set<() => void>();
  const collect = (chunk: Buffer): void => {
    output += chunk.toString('utf8').replace(/\r\n/g, '\n');
    for (const watcher of watchers) watcher();
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`did not finish:\n${output}`));
    }, options.timeoutMs ?? 60_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      try {
        const secrets = [
          ...Object.entries(options.env)
            .filter(([key]) => /SECRET|PASSWORD/.test(key))
            .map(([, value]) => value),
          ...secretsOnDisk(options.cwd),
        ];
        expectNoSecrets({ code, stdout: '', stderr: output, ms: 0 }, secrets);
      } catch (error) {
        reject(error);
        return;
      }
      resolve({ code, output });
    });
  });
  done.catch(() => undefined);
  const waitFrom = (start: number, pattern: RegExp, timeoutMs = 20_000): Promise<RegExpExecArray> =>
    new Promise((resolve, reject) => {
      const check = (): void => {
        const match = pattern.exec(output.slice(start));
        if (!match) return;
        watchers.delete(check);
        clearTimeout(timer);
        resolve(match);
      };
      const timer = setTimeout(() => {
        watchers.delete(check);
        reject(new Error(`the terminal never showed ${pattern}:\n${output}`));
      }, timeoutMs);
      watchers.add(check);
      check();
    });
  return {
    output: () => output,
    waitFor: (pattern, timeoutMs) => waitFrom(0, pattern, timeoutMs),
    waitForNew: (pattern, timeoutMs) => waitFrom(output.length, pattern, timeoutMs),
    type: (text) => child.stdin.write(text),
    done,
  };
}
