import type { KubeObject } from '../test/support/kube-api-server.ts';
import { realEventObjects } from '../test/support/real-events.ts';

/** core/v1 fixture events, varied: each copy gets its own name so the server stores it anew. */
export function eventsToCreate(n: number): KubeObject[] {
  const base = realEventObjects<KubeObject>().filter(
    (e) => e['apiVersion'] === 'v1' && typeof e.metadata['name'] === 'string',
  );
  const out: KubeObject[] = [];
  for (let i = 0; out.length < n; i++) {
    const e = base[i % base.length] as KubeObject;
    const { uid: _u, resourceVersion: _r, managedFields: _m, ...metadata } = e.metadata;
    out.push({ ...e, metadata: { ...metadata, name: `${String(metadata['name'])}.c${i}` } });
  }
  return out;
}
