import { describe, expect, it } from 'vitest';
import { openDocument } from './documents.js';
import { VSCODE_MCP_JSON as VSCODE } from '../../test/fixtures/vscode-mcp.js';

const entry = {
  type: 'stdio',
  command: '/usr/bin/node',
  args: ['--', '/opt/mcpgw-creds/bin/mcpgw-creds.js', 'bridge', '--server', 'mcpgw'],
};

/** Install then uninstall, each through a fresh document as the commands do; returns every stage. */
async function roundTrip(
  format: 'json' | 'toml',
  original: string,
  key: string,
): Promise<{ installed: string; again: string; removed: string }> {
  const first = await openDocument(format, 'f', original, key);
  first.set('mcpgw', entry);
  first.set('atlassian', { ...entry, args: [...entry.args.slice(0, -1), 'atlassian'] });
  const installed = first.text();
  const second = await openDocument(format, 'f', installed, key);
  second.set('mcpgw', entry);
  second.set('atlassian', { ...entry, args: [...entry.args.slice(0, -1), 'atlassian'] });
  const again = second.text();
  const third = await openDocument(format, 'f', again, key);
  third.remove('mcpgw');
  third.remove('atlassian');
  return { installed, again, removed: third.text() };
}

describe('JSON with comments (VS Code, Claude Code, Gemini, ...)', () => {
  it.each([
    ['tabs, comments, trailing commas, inputs', VSCODE],
    [
      'CRLF and four spaces',
      '{\r\n    "mcpServers": {\r\n        "other": {"command": "x"}\r\n    },\r\n    "theme": "dark"\r\n}\r\n'.replace(
        'mcpServers',
        'servers',
      ),
    ],
    ['odd two-space indentation and no final newline', '{\n  "servers": {}, "editor.fontSize": 13}'],
    ['no servers key yet', '{\n  "telemetry": false\n}\n'],
  ])('%s: install keeps the rest, installing twice changes nothing, uninstall gives the bytes back', async (_, original) => {
    const { installed, again, removed } = await roundTrip('json', original, 'servers');
    expect(installed).toContain('"mcpgw"');
    expect(installed).toContain('/opt/mcpgw-creds/bin/mcpgw-creds.js');
    if (original.includes('// the team')) {
      expect(installed).toContain("// the team's own");
      expect(installed).toContain('"inputs"');
      expect(installed).toContain('\t\t"mcpgw": {');
    }
    if (original.includes('\r\n')) expect(installed.replace(/\r\n/g, '')).not.toContain('\n');
    expect(again).toBe(installed);
    if (original.includes('"servers"')) expect(removed).toBe(original);
    else expect(JSON.parse(removed)).toEqual({ ...JSON.parse(original), servers: {} });
  });

  it('refuses a file it cannot read, naming it and the line', async () => {
    await expect(openDocument('json', '/p/.vscode/mcp.json', '{\n  "servers": {\n    "a": \n}\n', 'servers')).rejects.toThrow(
      /\/p\/\.vscode\/mcp\.json cannot be read as its client reads it \(ValueExpected on line 4\)/,
    );
    await expect(openDocument('json', 'f', '[1, 2]', 'servers')).rejects.toThrow('it is not a JSON object');
    await expect(openDocument('json', 'f', '{"servers": []}', 'servers')).rejects.toThrow('"servers" is not an object');
  });

  it('starts an empty or missing file as an object', async () => {
    const document = await openDocument('json', 'f', '', 'mcpServers');
    document.set('mcpgw', { url: 'https://gw/mcpgw/mcp' });
    expect(JSON.parse(document.text())).toEqual({ mcpServers: { mcpgw: { url: 'https://gw/mcpgw/mcp' } } });
  });
});

const CODEX = `# Codex settings
model = "o4-mini"  # the fast one
approval_policy = "on-request"

[mcp_servers.docs]
command = "npx"
args = ["-y", "docs-mcp"]

[projects."/home/me/work"]
trust_level = "trusted"
`;

describe('TOML (Codex)', () => {
  it.each([
    ['comments, other servers, projects', CODEX],
    ['CRLF', CODEX.replace(/\n/g, '\r\n')],
    ['an explicit [mcp_servers] table', '[mcp_servers]\n'],
    ['empty', ''],
  ])('%s: install keeps the rest, installing twice changes nothing, uninstall gives the bytes back', async (_, original) => {
    const { installed, again, removed } = await roundTrip('toml', original, 'mcp_servers');
    expect(installed).toContain('[mcp_servers.mcpgw]');
    expect(installed).toContain('command = "/usr/bin/node"');
    if (original.includes('#')) expect(installed).toContain('model = "o4-mini"  # the fast one');
    if (original.includes('\r\n')) expect(installed.replace(/\r\n/g, '')).not.toContain('\n');
    expect(again).toBe(installed);
    // A file that was empty is deleted by uninstall; what is left of it here is blank.
    if (original === '') expect(removed.trim()).toBe('');
    else expect(removed).toBe(original);
  });

  it('keeps a value it changes in its place, and refuses a file that is not TOML', async () => {
    const document = await openDocument('toml', 'f', CODEX, 'mcp_servers');
    document.set('docs', { command: 'npx', args: ['-y', 'docs-mcp@2'] });
    expect(document.text()).toBe(CODEX.replace('"docs-mcp"', '"docs-mcp@2"'));
    await expect(openDocument('toml', '/h/.codex/config.toml', 'model = \n', 'mcp_servers')).rejects.toThrow(
      '/h/.codex/config.toml cannot be read',
    );
  });
});
