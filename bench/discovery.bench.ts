// npm run bench:discovery — merging one more sample into a trigger's schema: our addSample
// (profile with presence, formats, examples; roles come from catalogOf) against genson-js
// extendSchema (a JSON Schema only), on the same samples, in the same process.
import { addSample, catalogOf, emptyProfile, formatPath, mergeProfiles, type PathSegment, type SchemaProfile } from '@hookline/payload';
import type { Schema } from 'genson-js';
import { compare, checksum, fail, finalLine, fmt, machine, measureAlone } from './harness';
import { discoveryOps } from './discovery-samples';

/** Every path genson-js describes, in our canonical spelling (`a.b[].c`). */
function gensonPaths(schema: Schema, segments: PathSegment[] = [], out = new Set<string>()): Set<string> {
  const variants: Schema[] = schema.anyOf ? schema.anyOf : [schema];
  for (const variant of variants) {
    for (const [key, child] of Object.entries(variant.properties ?? {})) {
      const next: PathSegment[] = [...segments, { kind: 'key', key }];
      out.add(formatPath(next));
      gensonPaths(child, next, out);
    }
    if (variant.items) {
      const next: PathSegment[] = [...segments, { kind: 'each' }];
      out.add(formatPath(next));
      gensonPaths(variant.items, next, out);
    }
  }
  return out;
}

async function main(): Promise<void> {
  const ops = discoveryOps();
  const { samples } = ops;

  // addSample takes a fast path; it must give exactly what the general merge gives.
  let folded: SchemaProfile = emptyProfile();
  for (const s of samples) {
    const options = { observedAt: s.observedAt };
    const fast = addSample(folded, s.ours, options);
    const general = mergeProfiles(folded, addSample(emptyProfile(), s.ours, options));
    if (JSON.stringify(fast) !== JSON.stringify(general)) fail(`addSample and mergeProfiles disagree on ${s.name}`);
    folded = fast;
  }

  // Same samples on both sides: both must have seen exactly the same paths.
  const ourPaths = new Set(ops.profile().nodes.map((n) => n.path).filter((p) => p !== ''));
  const theirPaths = gensonPaths(ops.schema());
  const onlyOurs = [...ourPaths].filter((p) => !theirPaths.has(p));
  const onlyTheirs = [...theirPaths].filter((p) => !ourPaths.has(p));
  if (onlyOurs.length > 0 || onlyTheirs.length > 0) {
    fail(`the two sides saw different paths: only ours ${JSON.stringify(onlyOurs.slice(0, 10))}, only genson-js ${JSON.stringify(onlyTheirs.slice(0, 10))}`);
  }
  const catalog = catalogOf(ops.profile());
  const withFormats = catalog.variables.filter((v) => v.formats && v.formats.length > 0).length;
  const withRoles = catalog.variables.filter((v) => v.roles.length > 0).length;
  const partial = catalog.variables.filter((v) => v.presence < 1).length;
  console.log(
    `samples: ${samples.length} (12 fixtures + ${samples.length - 12} Shopify order variants); ${ourPaths.size} paths on both sides; ` +
      `ours also keeps presence (${partial} paths seen in only some samples), formats (${withFormats} paths), roles (${withRoles} paths) and examples`,
  );
  console.log(`machine: ${machine()}`);

  let profileForCatalog = ops.profile();
  const withCatalog = await measureAlone({
    name: 'addSample+catalogOf',
    run: () => {
      ops.ours();
      profileForCatalog = ops.profile();
      return catalogOf(profileForCatalog).variables.length;
    },
  });
  console.log(`info: addSample + catalogOf per sample: ${fmt(withCatalog)} ops/s`);

  const result = await compare({ name: 'ours', run: ops.ours }, { name: 'genson-js', run: ops.theirs });
  console.log(`checksum ${checksum()}`);
  console.log(finalLine('genson-js', result));
}

main().catch((error: unknown) => fail(error instanceof Error ? (error.stack ?? error.message) : String(error)));
