// The soak's webhook receiver, in a process of its own so the soak's RSS is the router's: it
// answers 200 at once, except during a slow phase (the first `slowMs` of every `periodMs`), when
// it holds each answer `delayMs`. Prints `{"url":…}` when listening; on stdin `count` it prints
// `{"events":N,"requests":M,"slowRequests":K}` (events counted from the JSON array bodies).
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';

const periodMs = Number(process.env['SOAK_PERIOD_MS'] ?? 10_000);
const slowMs = Number(process.env['SOAK_SLOW_MS'] ?? 3_000);
const delayMs = Number(process.env['SOAK_DELAY_MS'] ?? 100);
const startedMs = Date.now();
let events = 0;
let requests = 0;
let slowRequests = 0;

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    // Each array element is one enhanced event object: count the `},{"metadata"` joins.
    const body = Buffer.concat(chunks);
    let joins = 0;
    for (let i = body.indexOf('},{"metadata"'); i !== -1; i = body.indexOf('},{"metadata"', i + 1)) joins++;
    events += body.length > 2 ? joins + 1 : 0;
    requests++;
    const slow = (Date.now() - startedMs) % periodMs < slowMs;
    if (slow) slowRequests++;
    setTimeout(() => res.writeHead(200).end(), slow ? delayMs : 0);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(
    `${JSON.stringify({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/soak` })}\n`,
  );
});
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() === 'count')
    process.stdout.write(`${JSON.stringify({ events, requests, slowRequests })}\n`);
}
server.close();
