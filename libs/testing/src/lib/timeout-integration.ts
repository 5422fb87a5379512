// Jest applies `testTimeout` only from the top level of its config, never from a project,
// so each project of jest.config.js sets its own timeout in a setup file like this one.
jest.setTimeout(60_000);
