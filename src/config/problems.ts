import { ConfigError } from '../errors.js';

/**
 * Collects every configuration problem before anything runs, so the user fixes them in one go
 * instead of one per run.
 */
export class Problems {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  add(message: string): void {
    this.errors.push(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Throws one ConfigError listing every problem, if there is any. */
  throwIfAny(hint = 'fix the settings above in .env (see .env.example) or in the environment'): void {
    if (this.errors.length === 0) return;
    const message =
      this.errors.length === 1
        ? (this.errors[0] as string)
        : `${this.errors.length} configuration problems:\n  - ${this.errors.join('\n  - ')}`;
    throw new ConfigError(message, { hint, problems: this.errors });
  }
}
