/** The small pages the browser lands on after a sign-in. Everything shown is escaped. */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface Page {
  status: number;
  title: string;
  lines: string[];
  ok: boolean;
}

export function renderPage(page: Page): string {
  const colour = page.ok ? '#1a7f37' : '#cf222e';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${escapeHtml(page.title)} · mcpgw-creds</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36em;margin:4em auto;padding:0 1em;color:#1f2328}
h1{font-size:1.4em;color:${colour}}p{margin:.6em 0}code{background:#f6f8fa;padding:.1em .3em;border-radius:4px}</style>
</head><body><h1 id="result" data-ok="${page.ok}">${escapeHtml(page.title)}</h1>
${page.lines.map((line) => `<p>${escapeHtml(line)}</p>`).join('\n')}
</body></html>
`;
}

export function successPage(provider: string): Page {
  return { status: 200, ok: true, title: `Signed in to ${provider}`, lines: ['mcpgw-creds has the token. You can close this tab.'] };
}

export function failurePage(provider: string, error: string, description: string | undefined): Page {
  return {
    status: 400,
    ok: false,
    title: `Sign-in to ${provider} failed`,
    lines: [description ? `${error}: ${description}` : error, 'The terminal says more. You can close this tab.'],
  };
}

export function forgedPage(): Page {
  return {
    status: 400,
    ok: false,
    title: 'Not the sign-in mcpgw-creds is waiting for',
    lines: [
      'This address does not carry the state of the current sign-in, so it was ignored.',
      'If you started a sign-in, use the newest link from the terminal. You can close this tab.',
    ],
  };
}

export function notFoundPage(): Page {
  return { status: 404, ok: false, title: 'Not found', lines: ['mcpgw-creds only answers on its callback path.'] };
}

export function malformedPage(): Page {
  return { status: 400, ok: false, title: 'Bad request', lines: ['mcpgw-creds could not read this request, so it was ignored.'] };
}
