import { IdpUnavailableError, McpgwError, OAuthError } from '../errors.js';
import { networkErrorCode } from './http.js';

/** A token endpoint answered, in OAuth's shape, something that cannot be a token (see tokenAnswer). */
export class MalformedAnswerError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'MalformedAnswerError';
  }
}

/** What a request was for, so the messages can say what failed and what to check. */
export interface RequestContext {
  /** e.g. "the Keycloak token endpoint". */
  what: string;
  url: string;
  timeoutMs: number;
  /** The settings a user would check, named as the user wrote them. */
  origin: { clientId: string; clientSecret: string; scope: string; url: string };
  /** Hints for OAuth error codes, over the client-credentials ones below. */
  hints?: Readonly<Record<string, string>>;
}

const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  UND_ERR_SOCKET: 'the server closed the connection',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS failure)',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
};

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

function oauthHint(code: string, context: RequestContext): string | undefined {
  if (context.hints?.[code] !== undefined) return context.hints[code];
  switch (code) {
    case 'invalid_client':
    case 'unauthorized_client':
      return `check ${context.origin.clientId} and ${context.origin.clientSecret}; the client must be confidential and allowed the client credentials grant`;
    case 'invalid_scope':
      return `check ${context.origin.scope}: ask only for scopes the client is allowed`;
    case 'unsupported_grant_type':
      return 'enable the client credentials grant (Keycloak: "Service accounts roles") for this client';
    default:
      return undefined;
  }
}

/** Turns what openid-client or fetch threw into our errors (exit statuses 3 and 4). */
export function translateOAuthError(error: unknown, context: RequestContext): Error {
  if (error instanceof McpgwError) return error;
  if (!(error instanceof Error)) return new Error(String(error));
  const at = `${context.what} (${context.url})`;
  if (error instanceof MalformedAnswerError) {
    return new IdpUnavailableError(`${at} answered ${error.message}; nothing was saved`, {
      code: 'not_oauth',
      hint: `check ${context.origin.url}: it should lead to the token endpoint of a trustworthy identity provider`,
    });
  }
  const fields = error as Error & {
    code?: string;
    error?: string;
    error_description?: string;
    status?: number;
    cause?: unknown;
  };

  if (error.name === 'ResponseBodyError' || error.name === 'AuthorizationResponseError') {
    const code = fields.error ?? 'error';
    if (typeof fields.status === 'number' && fields.status >= 500) {
      return new IdpUnavailableError(`${at} failed with HTTP ${fields.status}: ${code}${describe(fields.error_description)}`, {
        code: 'idp_server_error',
        hint: 'the identity provider has a problem; try again later',
      });
    }
    const hint =
      fields.status === 404
        ? `${context.what} answered 404 (${context.url}): check ${context.origin.url}; there is no such realm, tenant or path there`
        : oauthHint(code, context);
    return new OAuthError(code, fields.error_description, { hint });
  }
  if (error.name === 'WWWAuthenticateChallengeError') {
    const challenges = Array.isArray(fields.cause) ? (fields.cause as Array<{ parameters?: Record<string, string> }>) : [];
    const parameters = challenges[0]?.parameters ?? {};
    const code = parameters.error ?? 'invalid_client';
    return new OAuthError(code, parameters.error_description, { hint: oauthHint(code, context) });
  }

  switch (fields.code) {
    case 'OAUTH_TIMEOUT':
      return new IdpUnavailableError(`${at} did not answer within ${context.timeoutMs / 1000} s`, {
        code: 'timeout',
        hint: `check that ${context.origin.url} points at a running identity provider; MCPGW_HTTP_TIMEOUT sets the limit`,
      });
    case 'OAUTH_RESPONSE_IS_NOT_CONFORM':
    case 'OAUTH_RESPONSE_IS_NOT_JSON': {
      const response = fields.cause instanceof Response ? fields.cause : undefined;
      const status = response ? `HTTP ${response.status}` : 'a response';
      const type = response?.headers.get('content-type')?.split(';')[0] ?? 'no content type';
      const server = response !== undefined && response.status >= 500;
      return new IdpUnavailableError(`${at} answered ${status} (${type}), which is not an OAuth response`, {
        code: server ? 'idp_server_error' : 'not_oauth',
        hint: server
          ? 'the identity provider has a problem; try again later'
          : `check ${context.origin.url}: it should lead to the token endpoint`,
      });
    }
    case 'OAUTH_INVALID_RESPONSE':
    case 'OAUTH_PARSE_ERROR':
    case 'OAUTH_UNSUPPORTED_OPERATION':
      return new IdpUnavailableError(`${at} answered something that is not a valid OAuth token response (${error.message})`, {
        code: 'not_oauth',
        hint: `check ${context.origin.url}: it should lead to the token endpoint`,
      });
    default:
      break;
  }

  if (error instanceof TypeError) {
    const code = networkErrorCode(error);
    if (code !== undefined && TLS_CODES.test(code)) {
      return new IdpUnavailableError(`${at}: TLS certificate problem (${code})`, {
        code: 'tls',
        hint: 'if the server uses a private CA, point NODE_EXTRA_CA_CERTS at its certificate',
      });
    }
    const reason = (code && NETWORK_REASONS[code]) ?? `the request failed (${code ?? error.message})`;
    return new IdpUnavailableError(`cannot reach ${at}: ${reason}`, {
      code: 'unreachable',
      hint: `check ${context.origin.url} and that the server is running and reachable from here`,
    });
  }
  return error;
}

function describe(description: string | undefined): string {
  return description ? ` (${description})` : '';
}
