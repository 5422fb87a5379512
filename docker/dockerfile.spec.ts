// Static checks of docker/Dockerfile (no Docker engine here, so the image is never built in
// CI): the linter of the VS Code Docker extension (dockerfile-utils) at its strictest, and the
// rules we hold our images to, read from the parsed file (dockerfile-ast).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DockerfileParser, type Instruction, ModifiableInstruction } from 'dockerfile-ast';
import { validate, ValidationSeverity } from 'dockerfile-utils';
import { loadServiceConfig, PORT_VARIABLE, SERVICE_NAMES } from '../k8s/testing/service-configs';

const ROOT = join(__dirname, '..');
const DOCKERFILE = join(__dirname, 'Dockerfile');
const text = readFileSync(DOCKERFILE, 'utf8');
const dockerfile = DockerfileParser.parse(text);
const instructions = dockerfile.getInstructions();

/** The instructions of each build stage, by stage name. */
function stages(): Map<string, Instruction[]> {
  const out = new Map<string, Instruction[]>();
  let current: Instruction[] | undefined;
  for (const instruction of instructions) {
    if (instruction.getKeyword() === 'FROM') {
      current = [];
      const name = dockerfile.getFROMs().find((f) => f.getRange().start.line === instruction.getRange().start.line)?.getBuildStage();
      out.set(name ?? `stage${out.size}`, current);
    }
    current?.push(instruction);
  }
  return out;
}
const byStage = stages();
const stageNames = [...byStage.keys()];
const finalStage = byStage.get(stageNames[stageNames.length - 1]) ?? [];
const args = (i: Instruction) => i.getArgumentsContent() ?? '';
const keyword = (list: Instruction[], k: string) => list.filter((i) => i.getKeyword() === k);
/** The value of an instruction's flag (`COPY --from=deps`), if it has one. */
const flag = (i: Instruction, name: string) => (i instanceof ModifiableInstruction ? i.getFlags().find((f) => f.getName() === name)?.getValue() : undefined);

/** The image a FROM names, with global ARG defaults substituted. */
function fromImage(from: string): string {
  const globals = new Map(
    instructions
      .slice(0, instructions.findIndex((i) => i.getKeyword() === 'FROM'))
      .filter((i) => i.getKeyword() === 'ARG')
      .map((i) => args(i).split('=') as [string, string]),
  );
  return from.split(/\s+/)[0].replace(/\$\{?(\w+)\}?/g, (_, name: string) => globals.get(name) ?? '');
}

describe('docker/Dockerfile', () => {
  it('passes the Dockerfile linter with every optional rule as an error', () => {
    const error = ValidationSeverity.ERROR;
    const problems = validate(text, {
      deprecatedMaintainer: error, directiveCasing: error, emptyContinuationLine: error, instructionCasing: error,
      instructionCmdMultiple: error, instructionEntrypointMultiple: error, instructionHealthcheckMultiple: error,
      instructionJSONInSingleQuotes: error, instructionWorkdirRelative: error,
    });
    expect(problems.map((p) => `line ${p.range.start.line + 1}: ${p.message}`)).toEqual([]);
  });

  it('builds every stage on the same Node 20 image, pinned by exact version', () => {
    const images = keyword(instructions, 'FROM').map((i) => fromImage(args(i)));
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const image of images) expect(image).toMatch(/^node:20\.\d+\.\d+-[a-z]+(-slim)?$/);
    expect(new Set(images).size).toBe(1);
  });

  it('builds with every dependency and runs with production dependencies only', () => {
    const build = byStage.get('build') ?? [];
    expect(keyword(build, 'RUN').map(args).join('\n')).toMatch(/npm ci\b/);
    expect(keyword(build, 'RUN').map(args).join('\n')).toMatch(/node scripts\/build\.mjs/);
    // node_modules of the final stage come from a stage that installed without dev dependencies.
    const modulesCopy = keyword(finalStage, 'COPY').find((i) => /node_modules/.test(args(i)));
    const from = modulesCopy && flag(modulesCopy, 'from');
    expect(from).toBeDefined();
    const installs = keyword(byStage.get(from ?? '') ?? [], 'RUN').map(args).join('\n');
    expect(installs).toMatch(/npm ci --omit=dev\b/);
    expect(keyword(finalStage, 'RUN').map(args).join('\n')).not.toMatch(/npm (ci|install)/);
  });

  it('installs with --ignore-scripts, which holds while no production dependency has an install script', () => {
    for (const run of keyword(instructions, 'RUN').map(args).filter((r) => /npm ci/.test(r))) expect(run).toContain('--ignore-scripts');
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
    // @scarf/scarf (a dependency of swagger-ui-dist, which serves /docs) only reports the
    // install to its analytics service: not running it is its documented opt-out.
    const skippedOnPurpose = new Set(['node_modules/@scarf/scarf']);
    const scripted = Object.entries(lock.packages).filter(([name, p]) => p.hasInstallScript && !p.dev && !skippedOnPurpose.has(name)).map(([name]) => name);
    expect(scripted).toEqual([]);
  });

  it('runs as a numeric non-root user, set before CMD', () => {
    const users = keyword(finalStage, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = args(users[users.length - 1]).split(':')[0];
    expect(user).toMatch(/^\d+$/);
    expect(user).not.toBe('0');
    const cmd = keyword(finalStage, 'CMD')[0];
    expect(users[users.length - 1].getRange().start.line).toBeLessThan(cmd.getRange().start.line);
  });

  it('starts node as PID 1 (exec form, no npm and no shell) with nothing in front of it', () => {
    const cmds = keyword(finalStage, 'CMD');
    expect(cmds).toHaveLength(1);
    const argv = JSON.parse(args(cmds[0])) as string[];
    expect(argv[0]).toBe('node');
    expect(argv.join(' ')).not.toMatch(/\b(npm|npx|yarn|sh|bash)\b/);
    expect(keyword(finalStage, 'ENTRYPOINT')).toEqual([]);
    // The entry point it names is the link the build makes to the chosen app.
    expect(keyword(finalStage, 'RUN').map(args).join('\n')).toContain(`ln -s "apps/\${APP}/src/main.js" ${argv[1]}`);
  });

  it('has a HEALTHCHECK that runs node on a script the image holds', () => {
    const checks = keyword(finalStage, 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const argv = JSON.parse(args(checks[0]).replace(/^CMD\s+/, '')) as string[];
    expect(argv).toEqual(['node', 'docker/healthcheck.cjs']);
    expect(keyword(finalStage, 'COPY').map(args)).toContain('docker/healthcheck.cjs ./docker/healthcheck.cjs');
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
    const sources = keyword(instructions, 'COPY')
      .filter((i) => flag(i, 'from') === undefined)
      .flatMap((i) => args(i).split(/\s+/).slice(0, -1))
      .filter((s) => s !== '.');
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(ROOT, source))).toBe(true);
      expect(ignored.filter((pattern) => source === pattern || source.startsWith(`${pattern}/`))).toEqual([]);
    }
    // What must never reach an image: installed modules, builds, secrets, broker data, VCS.
    for (const path of ['**/node_modules', 'dist', '.env', '.env.*', '.kafka', '.hookline', '.git']) expect(ignored).toContain(path);
  });
});

describe('docker/healthcheck.cjs', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PORTS } = require('./healthcheck.cjs') as { PORTS: Record<string, [string, number]> };

  it('knows each service by its port variable and default, as the services read them', () => {
    expect(Object.keys(PORTS).sort()).toEqual([...SERVICE_NAMES].sort());
    const env = { HOOKLINE_ADMIN_TOKEN: 'a'.repeat(16), HOOKLINE_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64') };
    for (const service of SERVICE_NAMES) {
      const [variable, fallback] = PORTS[service];
      expect(variable).toBe(PORT_VARIABLE[service]);
      expect(fallback).toBe(loadServiceConfig(service, env).port);
    }
  });

  /** Exit code of the healthcheck run for `app` against a server answering `status`. */
  async function check(app: string, status: number | null): Promise<number | null> {
    const server = http.createServer((req, res) => {
      res.writeHead(req.url === '/health/live' ? (status ?? 500) : 404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    if (status === null) await new Promise((resolve) => server.close(resolve)); // nothing listens
    try {
      const child = spawn(process.execPath, [join(__dirname, 'healthcheck.cjs')], {
        env: { PATH: process.env.PATH, HOOKLINE_APP: app, [PORTS[app]?.[0] ?? 'PORT']: String(port) },
        stdio: 'ignore',
      });
      return await new Promise((resolve) => child.on('exit', resolve));
    } finally {
      if (status !== null) await new Promise((resolve) => server.close(resolve));
    }
  }

  it('exits 0 when /health/live answers 200 on the app port', async () => {
    expect(await check('mapping', 200)).toBe(0);
    expect(await check('ingress-gateway', 200)).toBe(0);
  });

  it('exits 1 when the service answers otherwise, is not listening, or the app is unknown', async () => {
    expect(await check('journey-trigger', 503)).toBe(1);
    expect(await check('schema-discovery', null)).toBe(1);
    expect(await check('no-such-app', 200)).toBe(1);
  });
});
