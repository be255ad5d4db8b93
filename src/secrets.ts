/**
 * Every secret value this process has seen (client secrets from the configuration, tokens read or
 * written by the store or received from an identity provider, credentials it sent), so that no line
 * printed anywhere carries one: the output layer passes every line through `redact`. Values are
 * registered where they enter (the configuration, the store, the HTTP transport), so a new flow
 * cannot forget to.
 *
 * A secret is also redacted in the forms it takes on the wire, so an identity provider that echoes
 * a request cannot get it printed: percent-encoded and form-encoded (`+` for a space).
 */
export class SecretRegistry {
  readonly #values = new Set<string>();
  /** Longest first: a short secret inside a longer token must not break the token's redaction. */
  #sorted: string[] | undefined;

  /**
   * Registers a secret. `minLength` guards catch-all registrations (any variable named like a
   * secret) from redacting ordinary short words; the secrets mcpgw-creds itself uses are
   * registered whatever their length.
   */
  add(value: string | undefined, minLength = 1): void {
    if (value === undefined || value.trim() === '' || value.length < minLength) return;
    for (const form of [value, encodeURIComponent(value), new URLSearchParams({ s: value }).toString().slice(2)]) this.#values.add(form);
    this.#sorted = undefined;
  }

  redact(text: string): string {
    this.#sorted ??= [...this.#values].sort((a, b) => b.length - a.length);
    let result = text;
    for (const secret of this.#sorted) {
      if (result.includes(secret)) result = result.split(secret).join('[redacted]');
    }
    return result;
  }
}
