// One Jest run, three projects: unit specs beside the code (pure, no I/O), integration
// specs against the real Kafka broker and Postgres, and end-to-end specs that start the
// built services as processes. The harness in libs/testing provides the broker and database.
const fs = require('node:fs');
const path = require('node:path');

const swc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swc, swcrc: false }],
    // @platformatic/kafka (our producer) and @octokit/webhooks-methods (GitHub's signing
    // library, in tests) ship ES modules only; Jest on Node 20 cannot require them (its
    // require(esm) needs Node 24.9+), so they are compiled to CommonJS.
    '^.+\\.js$': ['@swc/jest', { jsc: { parser: { syntax: 'ecmascript' }, target: 'es2022' }, module: { type: 'commonjs' }, swcrc: false }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@platformatic|@octokit)/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@hookline/(.*)$': '<rootDir>/libs/$1/src/index.ts',
    // Its package.json exports only an `import` condition, which Jest's CommonJS resolver skips.
    '^@octokit/webhooks-methods$': '<rootDir>/node_modules/@octokit/webhooks-methods/dist-node/index.js',
  },
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.kafka/'],
};

module.exports = {
  projects: [
    // docker/ and k8s/ hold the static checks of the images, the compose file and the chart;
    // scripts/ the check that generated docs are fresh.
    // The web console's specs run in Vitest (apps/console/vite.config.mts), in a browser-like DOM.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,docker,k8s,scripts}/**/*.spec.ts'], testPathIgnorePatterns: [...common.testPathIgnorePatterns, '<rootDir>/apps/console/'] },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,k8s}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      // testTimeout is ignored inside a project (Jest reads it from the top level only).
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/lib/timeout-integration.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      // testTimeout is ignored inside a project (Jest reads it from the top level only).
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/lib/timeout-e2e.ts'],
    },
    {
      ...common,
      // The fault suite: the pipeline under load while brokers, Postgres and services are
      // broken on purpose, on brokers and a Postgres of its own (`npm run test:faults`).
      displayName: 'faults',
      testMatch: ['<rootDir>/e2e/faults/**/*.faults-spec.ts'],
      globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
      globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/libs/testing/src/lib/timeout-faults.ts'],
    },
  ],
};
