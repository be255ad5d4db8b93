import { UsageError } from '../../errors.js';
import type { Prompter } from '../../ports.js';

/** Where a scripted answer may come from, as the error message says it. */
const SECRET_NAME = /SECRET|PASSWORD/;
const FLAGS: Record<string, string> = { AUTH_PROVIDER: '--auth-provider', REGISTRY_URL: '--registry-url' };
function whereToSay(variable: string): string {
  if (SECRET_NAME.test(variable)) return `${variable} (in the environment)`;
  return `${variable} (${FLAGS[variable] ?? `--set ${variable}=...`} or the environment)`;
}

/**
 * The answers of a run without a terminal: `--set NAME=VALUE` and the named flags first, then the
 * environment. A question with a default takes it; `confirm` answers with its fallback (so a check
 * that fails ends the run instead of asking again).
 */
export function scriptedPrompter(lookup: (variable: string) => string | undefined): Prompter {
  const missing: string[] = [];
  return {
    interactive: false,
    select(_message, choices, variable, preset) {
      const value = (preset ?? lookup(variable))?.toLowerCase();
      const chosen = choices.find((choice) => choice.value === value);
      if (!chosen) {
        const known = choices.map((choice) => choice.value).join(', ');
        return Promise.reject(
          new UsageError(
            value === undefined ? `init needs ${whereToSay(variable)}: one of ${known}` : `${variable} is "${value}": use one of ${known}`,
            'without a terminal, init takes its answers from flags and the environment (mcpgw-creds init --help)',
          ),
        );
      }
      return Promise.resolve(chosen.value);
    },
    input(question) {
      const value = lookup(question.variable)?.trim() || question.default;
      if (value === undefined && !question.optional) missing.push(whereToSay(question.variable));
      return Promise.resolve(value === '' ? undefined : value);
    },
    secret(_message, variable) {
      const value = lookup(variable);
      if (!value) missing.push(whereToSay(variable));
      return Promise.resolve(value ?? '');
    },
    confirm: (_message, fallback) => Promise.resolve(fallback),
    checkbox: () => Promise.resolve([]),
    complete() {
      if (missing.length > 0) {
        throw new UsageError(
          `init needs ${missing.join(', ')}`,
          'without a terminal, init takes its answers from flags and the environment; secrets from the environment only',
        );
      }
    },
  };
}
