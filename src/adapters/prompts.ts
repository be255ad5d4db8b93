import type { Readable, Writable } from 'node:stream';
import type { Choice, Prompter, Question } from '../ports.js';

/**
 * `init`'s questions for a person at a terminal, with @inquirer/prompts (loaded only here, so only
 * by `init`): asked on stderr, answered on stdin; a secret is read without being shown, and handed
 * to `secret` for redaction before anything else sees it. Ctrl-C rejects with inquirer's
 * ExitPromptError.
 */
export async function terminalPrompter(stdin: Readable, stderr: Writable, secret: (value: string) => void): Promise<Prompter> {
  const prompts = await import('@inquirer/prompts');
  const context = { input: stdin, output: stderr };
  return {
    interactive: true,
    select: <T extends string>(message: string, choices: ReadonlyArray<Choice<T>>, _variable: string, preset?: string): Promise<T> => {
      const fallback = choices.find((choice) => choice.value === preset)?.value;
      return prompts.select<T>(
        {
          message,
          choices: choices.map((choice) => ({ value: choice.value, name: choice.name })),
          pageSize: 10,
          ...(fallback !== undefined ? { default: fallback } : {}),
        },
        context,
      );
    },
    async input(question: Question) {
      const answer = await prompts.input(
        {
          message: question.message,
          ...(question.default !== undefined ? { default: question.default } : {}),
          required: question.optional !== true,
        },
        context,
      );
      return answer.trim() === '' ? undefined : answer.trim();
    },
    async secret(message) {
      const answer = await prompts.password({ message, validate: (value) => value.trim() !== '' || 'type it (nothing is shown)' }, context);
      secret(answer);
      secret(answer.trim());
      return answer.trim();
    },
    confirm: (message, fallback) => prompts.confirm({ message, default: fallback }, context),
    checkbox: <T extends string>(message: string, choices: ReadonlyArray<Choice<T>>): Promise<T[]> =>
      prompts.checkbox<T>(
        { message, choices: choices.map((choice) => ({ value: choice.value, name: choice.name })), pageSize: 15 },
        context,
      ),
    complete: () => undefined,
  };
}
