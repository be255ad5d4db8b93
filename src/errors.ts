/**
 * The error classes of mcpgw-creds. Each carries a stable `code` (for `--json`) and an optional
 * `hint`: what the user can do next. Which exit status each class means is decided in one place,
 * `cli/exit-codes.ts`.
 */
export abstract class McpgwError extends Error {
  readonly code: string;
  hint: string | undefined;

  constructor(message: string, options: { code: string; hint?: string | undefined; cause?: unknown }) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code;
    this.hint = options.hint;
  }
}

/** A command line that cannot be run as written. */
export class UsageError extends McpgwError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'usage', hint });
  }
}

/** A missing or malformed setting, found before any network call. */
export class ConfigError extends McpgwError {
  /** Every problem found, when several were collected at once. */
  readonly problems: readonly string[];
  constructor(message: string, options: { hint?: string; problems?: readonly string[] } = {}) {
    super(message, { code: 'config', hint: options.hint });
    this.problems = options.problems ?? [message];
  }
}

/** The identity provider answered with an OAuth error (`invalid_client`, `access_denied`, ...). */
export class OAuthError extends McpgwError {
  readonly description: string | undefined;
  constructor(error: string, description: string | undefined, options: { hint?: string; cause?: unknown } = {}) {
    // One line: Entra puts its trace and correlation ids on CRLF-separated lines of the description.
    const line = description?.replace(/[ \t]*\r?\n[ \t]*/g, ' ').trim();
    super(line ? `${error}: ${line}` : error, { code: error, ...options });
    this.description = line;
  }
}

/** The identity provider could not be reached, timed out, failed (5xx) or did not speak OAuth. */
export class IdpUnavailableError extends McpgwError {
  constructor(message: string, options: { code?: string; hint?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'idp_unavailable', hint: options.hint, cause: options.cause });
  }
}

/** The gateway refused a request (401, 403): `facts` are what the explanation was drawn from. */
export class GatewayRefusedError extends McpgwError {
  readonly status: number;
  readonly facts: readonly string[];
  constructor(status: number, message: string, options: { hint: string; facts: readonly string[] }) {
    super(message, { code: status === 401 ? 'gateway_unauthorized' : 'gateway_forbidden', hint: options.hint });
    this.status = status;
    this.facts = options.facts;
  }
}

/** The gateway could not be reached, timed out, or failed (5xx). */
export class GatewayUnavailableError extends McpgwError {
  constructor(message: string, hint: string) {
    super(message, { code: 'gateway_unavailable', hint });
  }
}

/** The browser step was not completed in time. */
export class BrowserTimeoutError extends McpgwError {
  constructor(message: string, hint?: string) {
    super(message, { code: 'browser_timeout', hint });
  }
}

/** A token file or directory that cannot be used safely (a symbolic link, a foreign file, ...). */
export class StoreError extends McpgwError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, { code: 'store', ...options });
  }
}

/**
 * A flow that cannot go on for a reason on this side: the callback port is taken, an authorization
 * response from the wrong issuer, an Atlassian site that does not exist, another watcher running.
 */
export class FlowError extends McpgwError {
  constructor(code: string, message: string, hint?: string) {
    super(message, { code, hint });
  }
}

/** `status --check` found tokens that expire within the buffer. */
export class ExpiringTokensError extends McpgwError {
  constructor(message: string, hint: string) {
    super(message, { code: 'expiring', hint });
  }
}
