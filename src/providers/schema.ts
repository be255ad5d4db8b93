import * as v from 'valibot';

const url = v.pipe(v.string(), v.minLength(1, 'must not be empty'));
const stringMap = v.optional(v.record(v.string(), v.string()), {});

/**
 * Headers a provider file may not set on token requests: those that frame the request (a wrong
 * Content-Length would send the rest of the body, secret included, as a second request on a kept
 * connection), route it, or carry credentials mcpgw-creds sets itself.
 */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'keep-alive',
  'upgrade',
  'te',
  'trailer',
  'expect',
  'content-type',
  'authorization',
  'cookie',
  'proxy-authorization',
  'proxy-connection',
]);

const tokenHeaders = v.optional(
  v.pipe(
    v.record(
      v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'is not a header name')),
      v.pipe(v.string(), v.regex(/^[\t\x20-\x7e]*$/, 'holds characters a header value may not')),
    ),
    v.check(
      (headers) => Object.keys(headers).every((name) => !RESERVED_HEADERS.has(name.toLowerCase())),
      (issue) =>
        `may not set ${Object.keys(issue.input as Record<string, string>)
          .filter((name) => RESERVED_HEADERS.has(name.toLowerCase()))
          .join(', ')}: mcpgw-creds sets those itself`,
    ),
  ),
  {},
);

/**
 * A provider definition file (providers/*.yaml). Unknown fields are errors, so a typo (`scope:` for
 * `scopes:`) is caught instead of silently ignored. Fields after `mcp_headers` are our extensions,
 * for providers that bend OAuth (documented in docs/configuration.md, "Provider catalogue").
 */
const ProviderSchema = v.strictObject({
  name: v.optional(v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be lower-case letters, digits, ".", "_" or "-"'))),
  display_name: v.optional(v.string()),
  auth_url: url,
  token_url: url,
  device_authorization_url: v.optional(url),
  revocation_url: v.optional(url),
  scopes: v.optional(v.array(v.string()), []),
  pkce: v.optional(v.boolean(), true),
  auth_params: stringMap,
  token_headers: tokenHeaders,
  cloud_id_url: v.optional(url),
  mcp_headers: stringMap,
  /** The authorization server's issuer identifier; enables the RFC 9207 `iss` check and ID token checks. */
  issuer: v.optional(url),
  /** The server always sends `iss` in its authorization responses (RFC 9207 §3); its absence is then an error. */
  authorization_response_iss_parameter_supported: v.optional(v.boolean(), false),
  /** How a confidential client authenticates at the token endpoint (default: the secret in the body). */
  token_auth: v.optional(v.picklist(['client_secret_post', 'client_secret_basic']), 'client_secret_post'),
  /** How scopes are joined in the authorization request (Slack: ","). */
  scope_separator: v.optional(v.string(), ' '),
  /** The authorization parameter that carries the scopes (Slack user tokens: `user_scope`). */
  scope_param: v.optional(v.pipe(v.string(), v.minLength(1)), 'scope'),
  /** The member of the token response that holds the user's token (Slack: `authed_user`). */
  token_response_field: v.optional(v.string()),
  /** Seconds a token lives when the server does not say (GitHub OAuth app tokens do not expire). */
  token_lifetime: v.optional(v.pipe(v.number(), v.integer(), v.minValue(60), v.maxValue(315_360_000))),
  /** Values for `{placeholder}`s in the URLs when EGRESS_<PROVIDER>_<PLACEHOLDER>_N is not set. */
  defaults: stringMap,
});

export type ProviderDefinition = v.InferOutput<typeof ProviderSchema> & { name: string; file: string };

/** Checks one parsed YAML document; problems name the file and the field. */
export function validateProvider(document: unknown, file: string, fallbackName: string): ProviderDefinition | string[] {
  const result = v.safeParse(ProviderSchema, document);
  if (!result.success) {
    return result.issues.map((issue) => {
      const field = v.getDotPath(issue) ?? '(top level)';
      const message = issue.type === 'strict_object' && issue.expected === 'never' ? `unknown field ${issue.received}` : issue.message;
      return `${file}: field "${field}": ${message}`;
    });
  }
  return { ...result.output, name: result.output.name ?? fallbackName, file };
}
