// Runs only our side of a bench for a while, for profiling:
//   node --cpu-prof --cpu-prof-dir=tmp/prof --import tsx bench/profile.ts mapping|discovery [seconds]
import { readFileSync } from 'node:fs';
import { parseBody } from '@hookline/payload';
import { compileMapping } from '@hookline/mapping-rules';
import { DEFINITION, SHOPIFY_ORDER } from './shopify-mapping';
import { discoveryOps } from './discovery-samples';

const which = process.argv[2] ?? 'mapping';
const seconds = Number(process.argv[3] ?? 5);
let op: () => number;
if (which === 'mapping') {
  const run = compileMapping(DEFINITION);
  const input = { body: parseBody(readFileSync(SHOPIFY_ORDER), 'application/json'), headers: {}, query: {} };
  op = () => (run(input).ok ? 1 : 0);
} else {
  op = discoveryOps().ours;
}
const end = process.hrtime.bigint() + BigInt(seconds * 1e9);
let n = 0;
let acc = 0;
while (process.hrtime.bigint() < end) {
  for (let i = 0; i < 100; i++) acc += op();
  n += 100;
}
console.log(`${which}: ${Math.round(n / seconds)} ops/s (checksum ${acc})`);
