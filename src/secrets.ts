/**
 * Every secret value this process has seen (client secrets from the configuration, tokens read or
 * written by the store), so that no line printed anywhere carries one: the output layer passes
 * every line through `redact`. Values are registered at the two boundaries where they enter,
 * the configuration and the store, so a new flow cannot forget to.
 */
export class SecretRegistry {
  readonly #values = new Set<string>();

  add(value: string | undefined): void {
    // Very short values would redact ordinary words; real secrets and tokens are long.
    if (value && value.length >= 8) this.#values.add(value);
  }

  redact(text: string): string {
    let result = text;
    for (const secret of this.#values) {
      if (result.includes(secret)) result = result.split(secret).join('[redacted]');
    }
    return result;
  }
}
