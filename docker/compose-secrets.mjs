// One-shot `secrets` service of docker/compose.yaml: generates the system's secrets once into
// the state volume, so `docker compose up` needs no setup and commits none. Later runs keep
// them (the encryption key must stay: it opens the signing secrets stored in Postgres).
//
//   node compose-secrets.mjs [<dir>]      (default /state; writes <dir>/secrets.env)
//
// The services source that file before exec'ing node (see compose.yaml). Values set in the
// environment of this service win over generated ones, so HOOKLINE_ADMIN_TOKEN=… docker
// compose up pins a token.
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '/state';
const file = join(dir, 'secrets.env');
// The node user of the Hookline image, which runs the services and reads the file.
const OWNER = 1000;

const generate = {
  HOOKLINE_ADMIN_TOKEN: () => randomBytes(24).toString('base64url'),
  HOOKLINE_INTERNAL_TOKEN: () => randomBytes(24).toString('base64url'),
  HOOKLINE_ENCRYPTION_KEY: () => randomBytes(32).toString('base64'),
};

mkdirSync(dir, { recursive: true });
const kept = existsSync(file) ? parse(readFileSync(file, 'utf8')) : {};
const values = {};
for (const [name, make] of Object.entries(generate)) {
  values[name] = process.env[name] || kept[name] || make();
}
// Values are base64/base64url: safe unquoted for `sh`'s `.`.
writeFileSync(file, Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''), { mode: 0o600 });
if (process.getuid?.() === 0) {
  chownSync(dir, OWNER, OWNER);
  chownSync(file, OWNER, OWNER);
}
const reused = Object.keys(generate).filter((k) => !process.env[k] && kept[k]);
console.log(`[secrets] ${file}: ${reused.length === 3 ? 'kept' : 'written'} (${Object.keys(values).join(', ')})`);

function parse(text) {
  const out = {};
  for (const line of text.split('\n')) {
    const m = /^([A-Z_]+)=(.*)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}
