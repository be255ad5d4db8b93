// ESLint (typescript-eslint, strict and type-checked) over the code, the tests, the demo and the
// benchmark. The layer rules make the architecture of CONTRIBUTING.md a checked fact: no layer imports a
// layer above it. Unused exports are knip's job (knip.json): ESLint's own rule for that
// (import/no-unused-modules) depends on internals that ESLint 10 removed.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import tseslint from 'typescript-eslint';

/** Folders of src/, each with the folders above it, which it may not import from. */
const LAYERS = {
  cli: [],
  usecases: ['cli'],
  flows: ['cli', 'usecases'],
  // What a token, a scopes file or a refusal means: pure, below the use cases.
  diagnosis: ['cli', 'usecases', 'flows'],
  // The adapters and infrastructure: none of the above.
  oauth: ['cli', 'usecases', 'flows'],
  callback: ['cli', 'usecases', 'flows'],
  store: ['cli', 'usecases', 'flows'],
  render: ['cli', 'usecases', 'flows'],
  providers: ['cli', 'usecases', 'flows'],
  keycloak: ['cli', 'usecases', 'flows'],
  adapters: ['cli', 'usecases', 'flows'],
  config: ['cli', 'usecases', 'flows', 'oauth', 'callback', 'store', 'render', 'providers', 'keycloak', 'adapters'],
};
const ALL = Object.keys(LAYERS);

/** The rules that keep `files` from importing `above` (static imports and `import()` alike). */
function forbid(files, above, why) {
  const message = `${why} (CONTRIBUTING.md, "Architecture")`;
  return {
    files,
    ignores: ['src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: above.map((folder) => ({ group: [`../${folder}/*`, `../../${folder}/*`], message })) },
      ],
      'no-restricted-syntax': [
        'error',
        ...above.map((folder) => ({ selector: `ImportExpression[source.value=/^(\\.\\.\\/)+${folder}\\//]`, message })),
      ],
    },
  };
}

const layerRules = [
  ...Object.entries(LAYERS).map(([layer, above]) => forbid([`src/${layer}/**/*.ts`], above, `src/${layer} sits below ${above.join(', ')}`)),
  // errors.ts, ports.ts, secrets.ts: the bottom.
  forbid(['src/*.ts'], ALL, 'the files at the root of src/ sit below every folder'),
  // A command calls a use case; it does not reach into the token store or OAuth itself.
  forbid(['src/cli/commands/**/*.ts'], ['oauth', 'store'], 'a command calls use cases, not the store or OAuth'),
  {
    // The process (argv, env, streams, exit, signals) is the entry's and the adapters' business.
    files: ['src/**/*.ts'],
    ignores: ['src/cli/main.ts', 'src/cli/io.ts', 'src/adapters/**', 'src/**/*.test.ts'],
    rules: { 'no-restricted-globals': ['error', { name: 'process', message: 'only cli/main.ts, cli/io.ts and adapters/ touch process' }] },
  },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.cache/', 'demo-output/', 'coverage/', 'bench/floor-*.mjs'] },
  // The entry script runs before anything of src/ is loaded.
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly' } } },
  js.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { '@stylistic': stylistic },
    rules: {
      '@stylistic/max-len': [
        'error',
        { code: 140, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true, ignoreUrls: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { ignoreRestSiblings: true, destructuredArrayIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      // `() => log(x)` is how callbacks read here; returning a void call from one is harmless.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // An AbortSignal's reason is typed any: rejecting with it is what fetch itself does.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingAny: true, allowThrowingUnknown: true }],
    },
  },
  {
    // Tests read JSON files and outputs whose shape they then assert: `any` is the honest type there.
    files: ['test/**/*.ts', 'src/**/*.test.ts', 'demo/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      // Hooks guard against a setup that failed (`idp?.close()`); test servers implement async interfaces.
      '@typescript-eslint/no-unnecessary-condition': 'off',
      '@typescript-eslint/require-await': 'off',
    },
  },
  { files: ['**/*.js'], ...tseslint.configs.disableTypeChecked },
  ...layerRules,
);
