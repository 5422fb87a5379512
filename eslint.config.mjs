// Lint for the whole repo: `npm run lint` (and `npm test`, which runs it as its first check).
// Zero warnings are allowed, so every rule here is either an error or off.
import js from '@eslint/js';
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import jsxA11y from 'eslint-plugin-jsx-a11y';
import reactHooks from 'eslint-plugin-react-hooks';
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

// The web console (apps/console) runs in the browser: its source, not its Vite config.
const CONSOLE_SOURCES = ['apps/console/src/**/*.ts', 'apps/console/src/**/*.tsx'];

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
    // The console shares the API's types (contracts) and the pure domain types (the mapping
    // definition), nothing server-side; and only their types (no-restricted-imports below).
    { sourceTag: 'scope:console', onlyDependOnLibsWithTags: ['type:contracts', 'type:domain'], bannedExternalImports: IMPURE_PACKAGES },
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

  // TypeScript: apps, libs, e2e. Type-aware, through the nearest tsconfig.json (the root's;
  // apps/console has its own, for the browser and JSX).
  {
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
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

  // The web console: React with hooks, accessible markup, browser globals, and @hookline/*
  // libraries for their types only (the Vite build refuses a value import as well).
  {
    files: CONSOLE_SOURCES,
    extends: [reactHooks.configs.flat.recommended, jsxA11y.flatConfigs.recommended],
    languageOptions: {
      globals: globals.browser,
      parserOptions: { ecmaFeatures: { jsx: true } },
    },
    rules: {
      // Zero warnings: the plugins' warnings are errors here.
      'react-hooks/exhaustive-deps': 'error',
      'react-hooks/incompatible-library': 'error',
      'react-hooks/unsupported-syntax': 'error',
      // A scrolling region (a sample's body) must take the focus, or a keyboard cannot scroll it.
      'jsx-a11y/no-noninteractive-tabindex': ['error', { tags: [], roles: ['tabpanel', 'region'] }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@hookline/*'], allowTypeImports: true, message: 'The console imports types only from Hookline libraries (import type …).' },
            { group: ['node:*'], message: 'The console runs in the browser.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'process', 'Buffer', 'require', '__dirname', 'global'],
    },
  },

  // libs/observability is plain Node (pino, prom-client, AsyncLocalStorage): libs/kafka's
  // observer hooks and every service use it without pulling in a framework or a client.
  // Nest's LoggerService is implemented, so it may be imported as a type.
  {
    files: ['libs/observability/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@nestjs/*'], allowTypeImports: true, message: 'libs/observability stays framework-free (type imports only).' },
            { group: ['express', 'kafkajs', '@platformatic/kafka', 'pg', 'typeorm', '@hookline/*'], message: 'libs/observability stays framework-free and depends on no other library of ours.' },
          ],
        },
      ],
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
