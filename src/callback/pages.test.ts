import { describe, expect, it } from 'vitest';
import { failurePage, renderPage } from './pages.js';

describe('pages', () => {
  it('escape everything they show', () => {
    const html = renderPage(failurePage('P<b>', 'access_denied', '"><script>alert(1)</script>'));
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&#60;script&#62;');
  });
});
