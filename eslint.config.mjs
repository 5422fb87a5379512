// Lint for the whole repo: `npm run lint` (and `npm test`, which runs it as its first check).
// Zero warnings are allowed, so every rule here is either an error or off.
import js from '@eslint/js';
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// @nx/enforce-module-boundaries reads Nx's cached project graph (.nx/workspace-data) and, when
// there is none (a fresh clone: we run eslint directly, not through nx), skips itself with
// only a console note. So build or refresh the graph first: in process, without the daemon
// unless one was asked for, and failing the lint if the graph cannot be built.
process.env.NX_DAEMON ??= 'false';
await createProjectGraphAsync({ exitOnError: false });

// Files that may use the test harness (@hookline/testing). Everything else is production
// code: it is compiled by tsconfig.build.json, which leaves libs/testing out, so an import
// of the harness there would also break the build.
const TEST_FILES = ['**/*.spec.ts', '**/*.int-spec.ts', 'e2e/**/*.ts'];

// Domain libraries and contracts are pure: no framework, no broker, no database.
const IMPURE_PACKAGES = ['@nestjs/*', 'express', 'http-proxy-middleware', 'kafkajs', '@platformatic/kafka', 'pg', 'typeorm'];

const APPS = ['ingress-gateway', 'schema-discovery', 'mapping', 'journey-trigger'];

/**
 * Module boundaries on two axes. Every project carries one `type:` and one `scope:` tag, and
 * must satisfy the constraints of both. `withTesting` adds type:testing to what each type may
 * import (test files only).
 */
function depConstraints({ withTesting }) {
  const t = (...tags) => [...tags, ...(withTesting ? ['type:testing'] : [])].map((tag) => (tag.includes(':') ? tag : `type:${tag}`));
  const type = [
    { sourceTag: 'type:app', onlyDependOnLibsWithTags: t('contracts', 'domain', 'util', 'data-access') },
    { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: t('contracts', 'util', 'domain') },
    { sourceTag: 'type:util', onlyDependOnLibsWithTags: t('contracts', 'domain', 'util') },
    { sourceTag: 'type:domain', onlyDependOnLibsWithTags: t('domain'), bannedExternalImports: IMPURE_PACKAGES },
    // Contracts depend on nothing of ours (an empty list forbids every project import).
    { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: withTesting ? ['type:testing'] : [], bannedExternalImports: IMPURE_PACKAGES },
    { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:util', 'type:data-access', 'type:testing'] },
    // End-to-end tests drive the built services over HTTP and Kafka, never app sources.
    {
      sourceTag: 'type:e2e',
      onlyDependOnLibsWithTags: ['type:contracts', 'type:domain', 'type:util', 'type:data-access', 'type:testing'],
      notDependOnLibsWithTags: ['type:app'],
    },
  ];
  const scope = [
    // An app depends on shared libraries only, never on another app.
    ...APPS.map((app) => ({ sourceTag: `scope:${app}`, onlyDependOnLibsWithTags: ['scope:shared'] })),
    { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ];
  return [...type, ...scope];
}

const moduleBoundaries = (withTesting) => [
  'error',
  {
    allow: [],
    enforceBuildableLibDependency: false,
    depConstraints: depConstraints({ withTesting }),
  },
];

export default defineConfig(
  globalIgnores(['**/dist/', '**/node_modules/', '.kafka/', '.nx/', 'tmp/', 'coverage/']),
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // TypeScript: apps, libs, e2e. Type-aware, through the root tsconfig.json.
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(false),
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A `default:` is a decision about the rest; a switch without one must name every member.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  {
    files: TEST_FILES,
    rules: {
      '@nx/enforce-module-boundaries': moduleBoundaries(true),
    },
  },

  // Benchmarks report on the console by design.
  {
    files: ['bench/**/*.ts'],
    rules: { 'no-console': 'off' },
  },

  // Node scripts (and the images' and compose file's helpers in docker/): plain ES modules, no
  // type information; they talk to the console by design.
  {
    files: ['scripts/**/*.mjs', 'scripts/**/*.js', 'scripts/**/*.cjs', 'docker/**/*.mjs', 'docker/**/*.cjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
    },
    rules: {
      'no-console': 'off',
    },
  },
  {
    files: ['scripts/**/*.cjs', 'docker/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
