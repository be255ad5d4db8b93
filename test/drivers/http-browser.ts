/**
 * The browser as an HTTP client with a cookie jar: follows the authorization URL, fills in the
 * login form (the same element ids as Keycloak's), follows redirects until the loopback callback,
 * and returns what the CLI's callback page answered.
 */
export interface SignInResult {
  /** The callback URL the provider redirected to (code, state, iss, or error). */
  callbackUrl: string;
  /** The CLI's answer to that callback, when it was requested. */
  status: number | undefined;
  body: string | undefined;
}

export interface SignInOptions {
  username?: string;
  password?: string;
  /** Press Cancel instead of signing in (the provider answers error=access_denied). */
  cancel?: boolean;
  /** Stop before requesting the callback (to forge or replay it by hand). */
  stopBeforeCallback?: boolean;
  /** Where the callback goes: requests there end the walk. */
  callbackOrigin: string;
}

class CookieJar {
  readonly #cookies = new Map<string, string>();
  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = pair?.indexOf('=') ?? -1;
      if (pair && index > 0) this.#cookies.set(pair.slice(0, index).trim(), pair.slice(index + 1).trim());
    }
  }
  header(): string {
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

function formAction(html: string, id: string, base: string): string {
  const form = new RegExp(`<form id="${id}"[^>]*action="([^"]+)"`).exec(html)?.[1];
  if (!form) throw new Error(`no form #${id} on the page:\n${html.slice(0, 500)}`);
  return new URL(
    form.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code))),
    base,
  ).href;
}

export async function signInOverHttp(authorizationUrl: string, options: SignInOptions): Promise<SignInResult> {
  const jar = new CookieJar();
  let url = authorizationUrl;
  let init: RequestInit = {};
  for (let hop = 0; hop < 20; hop++) {
    if (url.startsWith(options.callbackOrigin)) {
      if (options.stopBeforeCallback) return { callbackUrl: url, status: undefined, body: undefined };
      const response = await fetch(url, { redirect: 'manual' });
      return { callbackUrl: url, status: response.status, body: await response.text() };
    }
    const response = await fetch(url, {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), cookie: jar.header() },
    });
    jar.store(response);
    init = {};
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      url = new URL(location, url).href;
      continue;
    }
    const html = await response.text();
    if (response.status !== 200) throw new Error(`the provider answered ${response.status} at ${url}:\n${html.slice(0, 500)}`);
    if (html.includes('id="kc-form-login"')) {
      const action = formAction(html, options.cancel ? 'kc-form-cancel' : 'kc-form-login', url);
      const body = options.cancel
        ? ''
        : new URLSearchParams({ username: options.username ?? 'demo-user', password: options.password ?? 'demo-password' }).toString();
      url = action;
      init = { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' } };
      continue;
    }
    throw new Error(`unexpected page at ${url}:\n${html.slice(0, 500)}`);
  }
  throw new Error('too many redirects');
}
