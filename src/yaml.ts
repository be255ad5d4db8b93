// yaml's Node.js build is CommonJS: a bundler's dynamic import() of it yields only a default export,
// while a static import gets its named exports. Importers load this module lazily instead.
export { parse as parseYaml } from 'yaml';
