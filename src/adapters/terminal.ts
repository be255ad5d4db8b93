import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';
import type { Terminal } from '../ports.js';

/**
 * Questions on the terminal with readline: asked on stderr, answered on stdin. Only built when a
 * person can answer; never in CI or with stdin redirected.
 */
export function createTerminal(stdin: Readable, stderr: Writable): Terminal {
  return {
    async *lines(question, signal) {
      const rl = createInterface({ input: stdin, output: stderr, terminal: true });
      try {
        while (!signal.aborted) {
          let answer: string;
          try {
            answer = await rl.question(question, { signal });
          } catch {
            return;
          }
          if (answer.trim() !== '') yield answer.trim();
        }
      } finally {
        rl.close();
      }
    },
    async choose(question, options) {
      const rl = createInterface({ input: stdin, output: stderr, terminal: true });
      try {
        options.forEach((option, i) => stderr.write(`  ${i + 1}) ${option.label}\n`));
        for (;;) {
          const answer = Number((await rl.question(`${question} [1-${options.length}]: `)).trim());
          const chosen = Number.isInteger(answer) ? options[answer - 1] : undefined;
          if (chosen) return chosen.value;
          stderr.write(`Type a number from 1 to ${options.length}.\n`);
        }
      } finally {
        rl.close();
      }
    },
  };
}
