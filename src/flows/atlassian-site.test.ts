import { describe, expect, it } from 'vitest';
import { FlowError } from '../errors.js';
import { chooseSite, matchSite } from './atlassian-site.js';

const sites = [
  { id: 'a1', name: 'Acme', url: 'https://acme.atlassian.net' },
  { id: 'b2', name: 'Beta Co', url: 'https://beta.atlassian.net' },
];
const choice = { variable: 'EGRESS_ATLASSIAN_SITE_1', choose: undefined };

describe('Atlassian site selection', () => {
  it('matches the id exactly, or the name or URL ignoring case and a trailing slash', () => {
    expect(matchSite(sites, 'b2')?.name).toBe('Beta Co');
    expect(matchSite(sites, 'B2')).toBeUndefined();
    expect(matchSite(sites, 'beta co')?.id).toBe('b2');
    expect(matchSite(sites, 'HTTPS://ACME.atlassian.net/')?.id).toBe('a1');
  });
  it('takes the only site, or warns and takes the first of several when nobody can be asked', async () => {
    const warnings: string[] = [];
    expect((await chooseSite(sites.slice(1), { ...choice, wanted: undefined, warn: (m) => warnings.push(m) }))?.id).toBe('b2');
    expect(warnings).toEqual([]);
    expect((await chooseSite(sites, { ...choice, wanted: undefined, warn: (m) => warnings.push(m) }))?.id).toBe('a1');
    expect(warnings[0]).toContain('EGRESS_ATLASSIAN_SITE_1');
  });
  it('refuses a wanted site that is not there, naming the sites', async () => {
    const error = await chooseSite(sites, { ...choice, wanted: 'Gamma', warn: () => undefined }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FlowError);
    expect((error as Error).message).toContain('Beta Co (https://beta.atlassian.net, b2)');
  });
});
