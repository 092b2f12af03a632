import { readFileSync } from 'node:fs';
import type { KubeObject } from '../test/support/kube-api-server.ts';

const FIXTURE = new URL('../test/fixtures/events/real-events.ndjson', import.meta.url);

/** core/v1 fixture events, varied: each copy gets its own name so the server stores it anew. */
export function eventsToCreate(n: number): KubeObject[] {
  const base = readFileSync(FIXTURE, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as KubeObject)
    .filter((e) => e['apiVersion'] === 'v1' && typeof e.metadata['name'] === 'string');
  const out: KubeObject[] = [];
  for (let i = 0; out.length < n; i++) {
    const e = base[i % base.length] as KubeObject;
    const { uid: _u, resourceVersion: _r, managedFields: _m, ...metadata } = e.metadata;
    out.push({ ...e, metadata: { ...metadata, name: `${String(metadata['name'])}.c${i}` } });
  }
  return out;
}
