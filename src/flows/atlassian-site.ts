import { FlowError, IdpUnavailableError } from '../errors.js';
import { DEFAULT_RETRY, retryingFetch } from '../oauth/http.js';

/** One Atlassian site (cloud) a token reaches, from the accessible-resources endpoint. */
export interface AtlassianSite {
  id: string;
  name: string;
  url: string;
}

export interface SiteChoice {
  /** EGRESS_ATLASSIAN_SITE_N, when set. */
  wanted: string | undefined;
  variable: string;
  /** Asks the person at the terminal; undefined when nobody can answer. */
  choose: ((question: string, options: ReadonlyArray<{ label: string; value: AtlassianSite }>) => Promise<AtlassianSite>) | undefined;
  warn: (message: string) => void;
}

const comparable = (text: string): string => text.trim().toLowerCase().replace(/\/+$/, '');

/** The site's id exactly, or its name or URL ignoring case and a trailing slash. */
export function matchSite(sites: readonly AtlassianSite[], wanted: string): AtlassianSite | undefined {
  return (
    sites.find((site) => site.id === wanted.trim()) ??
    sites.find((site) => comparable(site.name) === comparable(wanted) || comparable(site.url) === comparable(wanted))
  );
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

export async function fetchSites(
  url: string,
  accessToken: string,
  options: { fetch: typeof fetch; timeoutMs: number; log?: (line: string) => void },
): Promise<AtlassianSite[]> {
  let response: Response;
  try {
    response = await retryingFetch(
      options.fetch,
      DEFAULT_RETRY,
      options.log,
    )(url, {
      headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new IdpUnavailableError(
      `cannot reach the Atlassian site list at ${url}: ${error instanceof Error ? error.message : String(error)}`,
      {
        hint: 'the token was saved; run again to look the site up',
      },
    );
  }
  const body: unknown = response.ok ? await response.json().catch(() => undefined) : undefined;
  if (!Array.isArray(body)) {
    throw new IdpUnavailableError(`the Atlassian site list at ${url} answered HTTP ${response.status} without a list of sites`, {
      hint: 'the token was saved; run again to look the site up',
    });
  }
  return body
    .filter(
      (site): site is Record<string, unknown> =>
        typeof site === 'object' && site !== null && typeof (site as { id?: unknown }).id === 'string',
    )
    .map((site) => ({ id: site.id as string, name: text(site.name) ?? (site.id as string), url: text(site.url) ?? '' }));
}

/**
 * Picks the site: none → undefined with a warning; one → it; several → the one
 * EGRESS_ATLASSIAN_SITE_N names, else the person's choice on a terminal, else the first with a warning.
 */
export async function chooseSite(sites: readonly AtlassianSite[], choice: SiteChoice): Promise<AtlassianSite | undefined> {
  const listed = sites.map((site) => `${site.name} (${site.url}, ${site.id})`).join('; ');
  if (choice.wanted !== undefined) {
    const match = matchSite(sites, choice.wanted);
    if (!match) {
      throw new FlowError(
        'site_not_found',
        `${choice.variable} ("${choice.wanted}") matches none of the Atlassian sites this account reaches: ${listed || 'none'}`,
        `set ${choice.variable} to one of their ids, names or URLs`,
      );
    }
    return match;
  }
  if (sites.length === 0) {
    choice.warn('the token reaches no Atlassian site: X-Atlassian-Cloud-Id is left out (give the app access to a site, then run again)');
    return undefined;
  }
  if (sites.length === 1) return sites[0];
  if (choice.choose) {
    return choice.choose(
      'Which Atlassian site?',
      sites.map((site) => ({ label: `${site.name} (${site.url})`, value: site })),
    );
  }
  const first = sites[0] as AtlassianSite;
  choice.warn(
    `the account reaches ${sites.length} Atlassian sites (${listed}); using the first, ${first.name}: set ${choice.variable} to choose`,
  );
  return first;
}
