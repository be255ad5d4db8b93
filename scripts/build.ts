// The CLI as a few ES modules: dist/cli/main.js is the entry (createIo, and the hot path that parses
// `token` and `headers` with node:util's parseArgs); commander and every command's definitions are
// the `program` chunk, loaded for every other command line; each command, and each heavy library
// (openid-client, the MCP SDK, the browser flows, client-file editing), is a chunk loaded by the
// dynamic import() that needs it. ~20 small files instead of ~60 module resolutions on the hot path.
// The type check is tsc's (npm run typecheck); esbuild only strips types.
import { rmSync } from 'node:fs';
import { build, type Plugin } from 'esbuild';

/**
 * Built-in modules that a bundled library requires when it loads but uses only on paths this CLI
 * never takes: dotenv's crypto (for encrypted .env.vault files) and commander's child_process (for
 * executable subcommands). Each is given a stand-in that loads the real module on first use, which
 * keeps ~10 ms each (Node 24, measured) off every run that reads a .env file or parses arguments.
 */
const LAZY_BUILTINS: Record<string, RegExp> = {
  crypto: /[\\/]node_modules[\\/]dotenv[\\/]/,
  child_process: /[\\/]node_modules[\\/]commander[\\/]/,
};
const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^(node:)?(crypto|child_process)$/ }, (args) => {
      const name = args.path.replace(/^node:/, '');
      return LAZY_BUILTINS[name]?.test(args.importer) ? { path: name, namespace: 'lazy-builtin' } : undefined;
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      loader: 'js',
      contents: `module.exports = new Proxy({}, { get: (_, key) => require('node:${args.path}')[key] });`,
    }));
  },
};

rmSync('dist', { recursive: true, force: true });
const result = await build({
  // compile-cache.js is imported by bin/ before the CLI itself, so it is an entry of its own.
  entryPoints: ['src/cli/main.ts', 'src/cli/compile-cache.ts'],
  outdir: 'dist',
  outbase: 'src',
  // Chunks sit as deep as the entry (dist/cli/, dist/chunks/), so a path relative to
  // import.meta.url (the package.json, the providers/ folder) is the same from either.
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.19',
  // A package's ES module build when it names one (jsonc-parser's CommonJS build is a UMD wrapper
  // whose require() calls a bundler cannot follow); "exports" maps still come first.
  mainFields: ['module', 'main'],
  // A native addon; a package that runs a script shipped next to its own file (open's xdg-open);
  // and the Keycloak admin client, loaded only by the keycloak commands, kept as published.
  external: ['@napi-rs/keyring', 'open', '@keycloak/keycloak-admin-client'],
  // CommonJS dependencies bundled into ES modules still call require() for Node's built-ins, and
  // some name their own file (write-file-atomic seeds its temporary names with __filename).
  banner: {
    js: [
      "import { createRequire as __mcpgwRequire } from 'node:module';",
      "import { fileURLToPath as __mcpgwPath } from 'node:url';",
      'const require = __mcpgwRequire(import.meta.url);',
      'const __filename = __mcpgwPath(import.meta.url);',
      "const __dirname = __mcpgwPath(new URL('.', import.meta.url));",
    ].join(' '),
  },
  minifyWhitespace: true,
  minifySyntax: true,
  legalComments: 'linked',
  plugins: [lazyBuiltins],
  metafile: true,
  logLevel: 'warning',
});
if (process.argv.includes('--analyze')) {
  const { analyzeMetafile } = await import('esbuild');
  process.stdout.write(await analyzeMetafile(result.metafile));
}
