import { createInterface } from 'node:readline/promises';
import type { Readable, Writable } from 'node:stream';

/**
 * Questions on the terminal: asked on stderr, answered on stdin. Only built when a person can
 * answer (io.canPrompt); never in CI or with stdin redirected.
 */
export interface Terminal {
  /** Answers to the same question, until `signal` aborts or stdin ends. */
  lines(question: string, signal: AbortSignal): AsyncIterable<string>;
  /** One choice from a numbered list. */
  choose<T>(question: string, options: ReadonlyArray<{ label: string; value: T }>): Promise<T>;
}

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
