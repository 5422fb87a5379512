// Jest applies `testTimeout` only from the top level of its config, never from a project,
// so each project of jest.config.js sets its own timeout in a setup file like this one.
// A fault scenario runs a load for half a minute and then waits for the pipeline to settle (up to 8 minutes while it makes progress).
jest.setTimeout(720_000);
