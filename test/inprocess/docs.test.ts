import { readdirSync, readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit-codes.js';
import { runInProcess } from '../helpers/in-process.js';
import { REPO } from '../helpers/run-cli.js';
import { makeWorkdir } from '../helpers/workdir.js';
import { startGateway, type Gateway } from '../servers/gateway.js';
import { startLocalIdp, type LocalIdp } from '../servers/local-idp.js';

/**
 * The user's documentation against the code, so that it cannot drift: every variable of
 * .env.example and every option of every command's --help is documented where a user looks for it;
 * the exit statuses are the code's; each documented --json example has the fields the command
 * prints (no field printed but undocumented, no top-level field documented but gone); every
 * troubleshooting entry quotes a message that is in the source; no page refers to anything outside
 * the repository, and every relative link resolves.
 */
const read = (file: string): string => readFileSync(path.join(REPO, file), 'utf8');
const DOCS = readdirSync(path.join(REPO, 'docs')).filter((file) => file.endsWith('.md'));
const SECRET = 'docs-secret-0123456789abcdef';
let idp: LocalIdp;
let gateway: Gateway;
let cwd: string;
let env: Record<string, string>;

beforeAll(async () => {
  idp = await startLocalIdp({
    shape: 'keycloak',
    clients: [{ clientId: 'docs-m2m', clientSecret: SECRET, groups: ['mcp-servers-unrestricted'] }],
  });
  gateway = await startGateway({ issuer: idp.issuer, jwksUrl: `${idp.issuer}/protocol/openid-connect/certs`, servers: ['mcpgw'] });
  cwd = makeWorkdir('mcpgw-docs-');
  env = {
    AUTH_PROVIDER: 'keycloak',
    KEYCLOAK_URL: idp.baseUrl,
    KEYCLOAK_M2M_CLIENT_ID: 'docs-m2m',
    KEYCLOAK_M2M_CLIENT_SECRET: SECRET,
    REGISTRY_URL: gateway.url,
  };
});
afterAll(async () => {
  await gateway.close();
  await idp.close();
});

/** The paths of every field of a JSON value: `steps[].error.code`. */
function fieldPaths(value: unknown, prefix = ''): Set<string> {
  const paths = new Set<string>();
  const visit = (item: unknown, at: string): void => {
    if (Array.isArray(item)) {
      for (const element of item) visit(element, `${at}[]`);
    } else if (item !== null && typeof item === 'object') {
      for (const [key, child] of Object.entries(item)) {
        const here = at ? `${at}.${key}` : key;
        paths.add(here);
        visit(child, here);
      }
    }
  };
  visit(value, prefix);
  return paths;
}

/** The ```json block after `<!-- json: NAME -->` in commands.md. */
function documentedJson(name: string): unknown {
  const text = read('docs/commands.md');
  const match = new RegExp(`<!-- json: ${name} -->\\s*\`\`\`json\\n([\\s\\S]*?)\`\`\``).exec(text);
  expect(match, `commands.md has a json example marked ${name}`).not.toBeNull();
  return JSON.parse(match?.[1] ?? 'null') as unknown;
}

/** A command's section of commands.md: from its heading to the next. */
function section(command: string): string {
  const text = read('docs/commands.md');
  const start = text.indexOf(`\n## \`${command}\``);
  expect(start, `commands.md has a section for ${command}`).toBeGreaterThan(-1);
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end === -1 ? undefined : end);
}

describe('the documentation matches the code', () => {
  it('every variable of .env.example is in docs/configuration.md', () => {
    const variables = [...read('.env.example').matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1] ?? '');
    expect(variables.length).toBeGreaterThan(40);
    const configuration = read('docs/configuration.md');
    expect(variables.filter((name) => !configuration.includes(`\`${name}\``) && !configuration.includes(name))).toEqual([]);
  });

  it("every option of every command's --help is in that command's section of docs/commands.md", async () => {
    // Every command the program has, read from its own help (nested ones too), not from a list here.
    const commandNames = async (parent: string[]): Promise<string[]> => {
      const block = (await runInProcess([...parent, '--help'], { cwd })).stdout.split('\nCommands:\n')[1] ?? '';
      return [...block.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((match) => match[1] ?? '').filter((name) => name !== 'help');
    };
    const commands: Array<[string, string]> = [['', 'mcpgw-creds']];
    for (const name of await commandNames([])) {
      const nested = await commandNames([name]);
      for (const path of nested.length > 0 ? nested.map((sub) => `${name} ${sub}`) : [name]) commands.push([path, path]);
    }
    expect(commands.map(([path]) => path)).toEqual(expect.arrayContaining(['init', 'completion', 'keycloak create-agent', 'token']));
    const shared = read('docs/commands.md').split('\n## ')[1] ?? '';
    for (const [command, heading] of commands) {
      const help = await runInProcess([...(command ? command.split(' ') : []), '--help'], { cwd });
      expect(help.code).toBe(0);
      // The Options: block only (the root's help also lists the commands, whose descriptions name options).
      const block = help.stdout.split('Options:')[1]?.split(/\n(?:Commands|Examples?|Arguments):/)[0] ?? '';
      const options = [...new Set([...block.matchAll(/(?<![\w-])--[a-z][a-z-]+/g)].map((match) => match[0]))];
      expect(options.length, command).toBeGreaterThan(0);
      const own = section(heading ?? '');
      const missing = options.filter((option) => !own.includes(`\`${option}`) && !shared.includes(`\`${option}`));
      expect(missing, `options of "${command || 'the main run'}" missing from commands.md`).toEqual([]);
    }
  });

  it('the exit statuses documented are the ones the code gives, for the causes the table names', async () => {
    const table = read('docs/commands.md').split('<!-- exit-statuses -->')[1]?.split('\n\n')[0] ?? '';
    const rows = new Map([...table.matchAll(/^\| (\d) \| (.+) \|$/gm)].map((match) => [Number(match[1]), match[2] ?? '']));
    expect([...rows.keys()].sort()).toEqual(Object.values(EXIT).sort());
    const row = (code: number): string => rows.get(code) ?? '';

    const ok = await runInProcess(['--ingress-only'], { cwd: makeWorkdir('mcpgw-docs-'), env });
    expect(row(ok.code)).toContain('succeeded');
    const usage = await runInProcess(['--no-such-flag'], { cwd: makeWorkdir('mcpgw-docs-'), env });
    expect(row(usage.code)).toContain('a wrong flag');
    const missing = await runInProcess(['--ingress-only'], { cwd: makeWorkdir('mcpgw-docs-'), env: { ...env, KEYCLOAK_URL: undefined } });
    expect(row(missing.code)).toContain('a missing or invalid variable');
    const refused = await runInProcess(['--ingress-only'], {
      cwd: makeWorkdir('mcpgw-docs-'),
      env: { ...env, KEYCLOAK_M2M_CLIENT_SECRET: 'wrong-secret-0123456789' },
    });
    expect(refused.stderr).toContain('invalid_client');
    expect(row(refused.code)).toContain('`invalid_client`');
    const unreachable = await runInProcess(['--ingress-only'], {
      cwd: makeWorkdir('mcpgw-docs-'),
      env: { ...env, KEYCLOAK_URL: 'http://127.0.0.1:9' },
    });
    expect(row(unreachable.code)).toContain('could not be reached');
  });

  it('each --json example has exactly the fields the command prints', async () => {
    const check = (name: string, outputs: string[], options: { topLevelOptional?: string[] } = {}): void => {
      const documented = fieldPaths(documentedJson(name));
      const printed = new Set(outputs.flatMap((output) => [...fieldPaths(JSON.parse(output) as unknown)]));
      expect(
        [...printed].filter((field) => !documented.has(field)),
        `${name}: printed but not documented`,
      ).toEqual([]);
      const top = (fields: Set<string>): string[] => [...fields].filter((field) => !/[.[]/.test(field)).sort();
      const optional = options.topLevelOptional ?? [];
      expect(
        top(documented).filter((field) => !optional.includes(field)),
        `${name}: top-level fields`,
      ).toEqual(top(printed).filter((field) => !optional.includes(field)));
    };
    const here = makeWorkdir('mcpgw-docs-');
    const run = async (args: string[], extra: Record<string, string | undefined> = {}): Promise<string> =>
      (await runInProcess([...args, '--json'], { cwd: here, env: { ...env, ...extra } })).stdout;

    check('steps', [
      await run(['--ingress-only']),
      await run(['render']),
      await runInProcess(['--ingress-only', '--json', '--force'], {
        cwd: makeWorkdir('mcpgw-docs-'),
        env: { ...env, KEYCLOAK_M2M_CLIENT_SECRET: 'wrong-secret-0123456789' },
      }).then((result) => result.stdout),
    ]);
    check('failure', [await run(['--egress-only']), await run(['--ingress-only'], { KEYCLOAK_URL: 'ftp://x' })]);
    check('status', [await run(['status', '--check'])]);
    check('whoami', [await run(['whoami'])]);
    check('doctor', [await run(['doctor'])]);
    check('install', [await run(['install', 'claude-code'])]);
    check('test', [await run(['test'])], { topLevelOptional: ['call'] });
  });

  it('every troubleshooting entry quotes a message that is in the source', () => {
    const sources: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(file);
        else if (file.endsWith('.ts') && !file.endsWith('.test.ts')) sources.push(readFileSync(file, 'utf8'));
      }
    };
    walk(path.join(REPO, 'src'));
    const headings = [...read('docs/troubleshooting.md').matchAll(/^### `(.+)`$/gm)].map((match) => match[1] ?? '');
    expect(headings.length).toBeGreaterThan(25);
    const notInSource = headings.filter((heading) => {
      const fragments = heading.split('…').filter((fragment) => fragment.length > 0);
      return !fragments.every((fragment) => sources.some((source) => source.includes(fragment)));
    });
    expect(notInSource).toEqual([]);
  });

  it('no page refers to a document outside the repository, and every relative link resolves', () => {
    for (const file of ['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', ...DOCS.map((doc) => `docs/${doc}`)]) {
      const text = read(file);
      expect(text, file).not.toMatch(/SPEC\.md|SPEC §|\bthe spec\b/i);
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (!target || /^[a-z]+:/.test(target)) continue;
        expect(existsSync(path.join(REPO, path.dirname(file), target)), `${file} links to ${target}`).toBe(true);
      }
    }
  });
});
