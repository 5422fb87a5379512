// The load generator of bench:ingress, run as a process of its own so that it never shares an
// event loop with the server it measures: autocannon against one URL with one body, for a
// fixed time. Prints one JSON line: counts by status, req/s of 202s, latency percentiles, and
// (when asked) the event ids the 202 answers carried, written to a file.
import { readFileSync, writeFileSync } from 'node:fs';
import autocannon from 'autocannon';

interface LoadArgs {
  url: string;
  bodyFile: string;
  connections: number;
  durationSeconds: number;
  /** Where to write the event ids of the 202 answers, one a line; none: ids are not collected. */
  idsFile?: string;
}

async function main(): Promise<void> {
  const args = JSON.parse(process.argv[2] ?? '{}') as LoadArgs;
  const body = readFileSync(args.bodyFile);
  const ids: string[] = [];
  const result = await autocannon({
    url: args.url,
    connections: args.connections,
    duration: args.durationSeconds,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        onResponse: args.idsFile
          ? (status: number, text: string) => {
              if (status === 202) ids.push((JSON.parse(text) as { eventId: string }).eventId);
            }
          : undefined,
      },
    ],
  });
  if (args.idsFile) writeFileSync(args.idsFile, ids.join('\n'));
  const statuses: Record<string, number> = {};
  for (const [code, stat] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = Number((stat as { count: number | string }).count);
  const accepted = statuses['202'] ?? 0;
  process.stdout.write(
    `${JSON.stringify({
      statuses,
      accepted,
      acceptedPerSecond: accepted / result.duration,
      errors: result.errors,
      timeouts: result.timeouts,
      p50: result.latency.p50,
      p99: result.latency.p99,
      ids: ids.length,
    })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
