// The load generator of bench:e2e, a process of its own: posts webhooks to one URL at a fixed
// rate (open loop: the rate does not wait for answers), each with a new delivery id, and
// records when each 202 arrived (epoch ms, sub-millisecond). Prints one JSON summary line.
import { writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

interface Args {
  url: string;
  rate: number;
  seconds: number;
  /** The body, with `{{customer}}` where the customer's number goes. */
  body: string;
  deliveryHeader: string;
  customers: number;
  outFile: string;
}

const args = JSON.parse(process.argv[2] ?? '{}') as Args;
const target = new URL(args.url);
const agent = new Agent({ keepAlive: true, maxSockets: 256 });
const nowMs = () => performance.timeOrigin + performance.now();
const lines: string[] = [];
const answers: Record<string, number> = {};
let sent = 0;
let inFlight = 0;

function post(n: number): void {
  const deliveryId = `bench-${process.pid}-${n}`;
  const body = args.body.replace('{{customer}}', String(n % args.customers));
  inFlight++;
  sent++;
  const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [args.deliveryHeader]: deliveryId } }, (res) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => {
      const at = nowMs();
      inFlight--;
      answers[String(res.statusCode)] = (answers[String(res.statusCode)] ?? 0) + 1;
      if (res.statusCode === 202) lines.push(`${(JSON.parse(Buffer.concat(chunks).toString('utf8')) as { eventId: string }).eventId} ${deliveryId} ${at.toFixed(3)}`);
    });
  });
  req.on('error', () => {
    inFlight--;
    answers.error = (answers.error ?? 0) + 1;
  });
  req.end(body);
}

async function main(): Promise<void> {
  const started = nowMs();
  let n = 0;
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const due = Math.floor(((nowMs() - started) / 1000) * args.rate);
      while (n < due) post(n++);
      if (nowMs() - started >= args.seconds * 1000) {
        clearInterval(timer);
        resolve();
      }
    }, 5);
  });
  while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
  agent.destroy();
  writeFileSync(args.outFile, lines.join('\n'));
  const cpu = process.cpuUsage();
  process.stdout.write(`${JSON.stringify({ sent, answers, accepted: lines.length, seconds: (nowMs() - started) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
