// The "40-line reference" (issue #5): bare node:http + JSON.parse + a coalescing
// producer (@platformatic/kafka, acks = all, one send per event-loop turn, at most 4 in
// flight), with no lookup, no verification, no contract check. bench:ingress runs it as a
// third side, so the distance between our gateway and what this machine can give at all is
// measured in the same run rather than quoted from elsewhere. Not product code.
//
//   node bench/reference-gateway.mjs <port> <brokers> <topic>
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { ProduceAcks, Producer, stringSerializers } from '@platformatic/kafka';

const [port, brokers, topic] = process.argv.slice(2);
const producer = new Producer({ clientId: 'bench-reference', bootstrapBrokers: brokers.split(','), serializers: stringSerializers, acks: ProduceAcks.ALL, autocreateTopics: false });
let queue = [];
let inFlight = 0;
let scheduled = false;

function drain() {
  scheduled = false;
  while (inFlight < 4 && queue.length > 0) {
    const batch = queue.length <= 2000 ? queue : queue.slice(0, 2000);
    queue = queue.length <= 2000 ? [] : queue.slice(2000);
    inFlight++;
    producer.send({ messages: batch.map((p) => p.message), acks: ProduceAcks.ALL }).then(
      () => settle(batch, true),
      () => settle(batch, false),
    );
  }
}
function settle(batch, ok) {
  inFlight--;
  for (const p of batch) p.done(ok);
  drain();
}
function answer(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      JSON.parse(text);
    } catch {
      answer(res, 400, { error: 'malformed JSON' });
      return;
    }
    const eventId = randomUUID();
    const message = { topic, key: eventId, value: JSON.stringify({ eventId, receivedAt: new Date().toISOString(), body: text }) };
    queue.push({ message, done: (ok) => (ok ? answer(res, 202, { eventId }) : answer(res, 503, { error: 'broker' })) });
    if (!scheduled) {
      scheduled = true;
      setImmediate(drain);
    }
  });
}).listen(Number(port), '127.0.0.1');

process.on('SIGTERM', () => void producer.close().finally(() => process.exit(0)));
