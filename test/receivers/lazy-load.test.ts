// Layering: a config loads receiver descriptions only (no SDK), and `run` imports the
// implementation (and SDK) of the receiver types its config uses, and of no other.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../', import.meta.url));
const recorder = fileURLToPath(new URL('./lazy-load/record-loads.mjs', import.meta.url));

// The client libraries behind receivers (undici is the HTTP receivers' client).
const SDKS = [
  '@aws-sdk',
  '@smithy',
  '@elastic',
  '@opensearch-project',
  '@slack',
  'kafkajs',
  'undici',
  // The Kubernetes client: only `run` talks to a cluster.
  '@kubernetes/client-node',
] as const;

/** The SDK packages whose modules a command loaded (first path segment after node_modules/). */
async function sdksLoaded(args: readonly string[]): Promise<string[]> {
  const { stderr } = await run(process.execPath, ['--import', recorder, ...args], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const found = new Set<string>();
  for (const line of stderr.split('\n')) {
    const url = /^LOADED (.*)$/.exec(line)?.[1];
    const pkg = url === undefined ? undefined : /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1];
    const sdk = SDKS.find((name) => pkg === name || pkg?.startsWith(`${name}/`) === true);
    if (sdk !== undefined) found.add(sdk);
  }
  return [...found].sort();
}

describe('receiver implementations load lazily', () => {
  it('check of the example config (every receiver type) loads no SDK and no Kubernetes client', async () => {
    assert.deepEqual(await sdksLoaded(['bin/kube-event-router', 'check', '-c', 'config.example.yaml']), []);
  });

  it('route-test loads no SDK and no Kubernetes client', async () => {
    const events = 'test/fixtures/events/real-events.ndjson';
    const args = ['bin/kube-event-router', 'route-test', '-c', 'config.example.yaml', '--events', events];
    assert.deepEqual(await sdksLoaded(args), []);
  });

  const cases: { types: string[]; sdks: string[] }[] = [
    { types: ['stdout', 'file'], sdks: [] },
    { types: ['webhook'], sdks: ['undici'] },
    { types: ['kinesis'], sdks: ['@aws-sdk', '@smithy'] },
    { types: ['kafka'], sdks: ['kafkajs'] },
    { types: ['elasticsearch'], sdks: ['@elastic'] },
    { types: ['opensearch'], sdks: ['@opensearch-project'] },
  ];
  for (const c of cases) {
    it(`loading ${c.types.join(' + ')} loads ${c.sdks.join(', ') || 'no SDK'}`, async () => {
      const child = ['--import', 'tsx', 'test/receivers/lazy-load/load-receivers.ts', ...c.types];
      assert.deepEqual(await sdksLoaded(child), c.sdks);
    });
  }
});
