/**
 * The error classes of mcpgw-creds. Each carries a stable `code`, the exit status of SPEC §3 and an
 * optional `hint` (what the user can do next). `cli/exit-codes.ts` turns them into exit statuses.
 */
export abstract class McpgwError extends Error {
  abstract readonly exitCode: number;
  readonly code: string;
  hint: string | undefined;

  constructor(message: string, options: { code: string; hint?: string | undefined; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.hint = options.hint;
  }
}

/** A command line that cannot be run as written. Exit 2. */
export class UsageError extends McpgwError {
  readonly exitCode = 2;
  constructor(message: string, hint?: string) {
    super(message, { code: 'usage', hint });
  }
}

/** A missing or malformed setting, found before any network call. Exit 2. */
export class ConfigError extends McpgwError {
  readonly exitCode = 2;
  /** Every problem found, when several were collected at once. */
  readonly problems: readonly string[];
  constructor(message: string, options: { hint?: string; problems?: readonly string[] } = {}) {
    super(message, { code: 'config', hint: options.hint });
    this.problems = options.problems ?? [message];
  }
}

/** The identity provider answered with an OAuth error (`invalid_client`, `access_denied`, ...). Exit 3. */
export class OAuthError extends McpgwError {
  readonly exitCode = 3;
  readonly description: string | undefined;
  constructor(error: string, description: string | undefined, options: { hint?: string; cause?: unknown } = {}) {
    super(description ? `${error}: ${description}` : error, { code: error, ...options });
    this.description = description;
  }
}

/** The identity provider could not be reached, timed out, failed (5xx) or did not speak OAuth. Exit 4. */
export class IdpUnavailableError extends McpgwError {
  readonly exitCode = 4;
  constructor(message: string, options: { code?: string; hint?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'idp_unavailable', hint: options.hint, cause: options.cause });
  }
}

/** The browser step was not completed in time. Exit 5. */
export class BrowserTimeoutError extends McpgwError {
  readonly exitCode = 5;
  constructor(message: string, hint?: string) {
    super(message, { code: 'browser_timeout', hint });
  }
}

/** A token file or directory that cannot be used safely (a symbolic link, a foreign file, ...). Exit 1. */
export class StoreError extends McpgwError {
  readonly exitCode = 1;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { code: 'store', ...options });
  }
}

/**
 * A sign-in flow that cannot go on for a reason on this side: the callback port is taken, an
 * authorization response from the wrong issuer, an Atlassian site that does not exist. Exit 1.
 */
export class FlowError extends McpgwError {
  readonly exitCode = 1;
  constructor(code: string, message: string, hint?: string) {
    super(message, { code, hint });
  }
}
