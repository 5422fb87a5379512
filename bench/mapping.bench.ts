// npm run bench:mapping — one Shopify orders/create event mapped by our compiled mapping and by
// the same mapping written in JSONata, in the same process. Both outputs must be equal first.
import { readFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import jsonata from 'jsonata';
import { parseBody, toJsonSafe, type JsonValue } from '@hookline/payload';
import { compileMapping, type MappingInput } from '@hookline/mapping-rules';
import { compare, checksum, fail, finalLine, machine } from './harness';
import { DEFINITION, JSONATA_EXPRESSION, SHOPIFY_ORDER } from './shopify-mapping';

interface Comparable {
  uniqueId: unknown;
  variables: unknown;
  variableSets: unknown;
}

async function main(): Promise<void> {
  const raw = readFileSync(SHOPIFY_ORDER);
  // Ours: the body as the services parse it (lossless: the 64-bit order id is a bigint).
  const body = parseBody(raw, 'application/json');
  // JSONata: the same lossless parse with bigints turned into decimal strings. JSON.parse would
  // round the order id (820982911946154508 → 820982911946154500) and $string would then print
  // it with 15 significant digits, so the outputs could never agree.
  const jsonataBody = toJsonSafe(body) as JsonValue;

  const run = compileMapping(DEFINITION);
  const expression = jsonata(JSONATA_EXPRESSION);
  const input: MappingInput = { body, headers: {}, query: {} };

  const oursResult = run(input);
  if (!oursResult.ok || !oursResult.matched) fail(`our mapping did not map the event: ${JSON.stringify(oursResult)}`);
  const ours: Comparable = { uniqueId: oursResult.uniqueId.value, variables: oursResult.variables, variableSets: oursResult.variableSets };
  const theirs = JSON.parse(JSON.stringify(await expression.evaluate(jsonataBody))) as Comparable;
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(ours)), theirs)) {
    console.error('ours:   ', JSON.stringify(ours, null, 2));
    console.error('JSONata:', JSON.stringify(theirs, null, 2));
    fail('our mapping and the JSONata expression produce different outputs');
  }
  console.log(`outputs equal: ${JSON.stringify(ours)}`);
  console.log(`machine: ${machine()}`);

  const result = await compare(
    {
      name: 'ours',
      run: () => {
        const r = run(input);
        return r.ok ? (r.variableSets['products'] as unknown[]).length + r.uniqueId.value.length : -1;
      },
    },
    {
      name: 'JSONata',
      async: true,
      run: async () => {
        const r = (await expression.evaluate(jsonataBody)) as Comparable & { variableSets: { products: unknown[] }; uniqueId: string };
        return r.variableSets.products.length + r.uniqueId.length;
      },
    },
  );
  console.log(`checksum ${checksum()}`);
  console.log(finalLine('JSONata', result));
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
