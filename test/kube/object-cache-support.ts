// A fake MetadataFetcher for the object cache tests: objects in a map, scripted answers, calls
// recorded, and requests that can be held open until the test releases them.
import type { ObjectReference, OwnerReference } from '../../src/event/event.ts';
import type { FetchResult, MetadataFetcher, ObjectKey } from '../../src/kube/metadata-fetcher.ts';
import type { CacheLogger, ObjectCacheObserver } from '../../src/kube/object-cache.ts';

export interface FakeObject {
  apiVersion?: string;
  kind: string;
  namespace?: string;
  name: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  owners?: OwnerReference[];
}

function id(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`;
}

export class FakeFetcher implements MetadataFetcher {
  readonly calls: ObjectKey[] = [];
  readonly signals: AbortSignal[] = [];
  private readonly objects = new Map<string, FakeObject>();
  /** Scripted answers by `Kind/namespace/name`, used before the object map; `hang` never answers. */
  readonly answers = new Map<string, FetchResult | 'hang' | 'throw'>();
  /** Answers for a whole kind. */
  readonly kindAnswers = new Map<string, FetchResult>();
  private held: (() => void)[] = [];
  hold = false;

  put(obj: FakeObject): void {
    this.objects.set(id(obj.kind, obj.namespace ?? '', obj.name), obj);
  }

  remove(kind: string, namespace: string, name: string): void {
    this.objects.delete(id(kind, namespace, name));
  }

  /** Lets every held request answer. */
  release(): void {
    const held = this.held;
    this.held = [];
    for (const go of held) go();
  }

  callsFor(kind: string): number {
    return this.calls.filter((c) => c.kind === kind).length;
  }

  get(key: ObjectKey, signal: AbortSignal): Promise<FetchResult> {
    this.calls.push(key);
    this.signals.push(signal);
    const answer = (): Promise<FetchResult> => {
      const scripted =
        this.answers.get(id(key.kind, key.namespace, key.name)) ?? this.kindAnswers.get(key.kind);
      if (scripted === 'hang') return new Promise(() => undefined);
      if (scripted === 'throw') return Promise.reject(new Error('socket hang up'));
      if (scripted !== undefined) return Promise.resolve(scripted);
      const obj = this.objects.get(id(key.kind, key.namespace, key.name));
      if (obj === undefined) return Promise.resolve({ status: 'notFound' });
      const metadata = {
        name: obj.name,
        namespace: obj.namespace,
        uid: obj.uid ?? `uid-${obj.name}`,
        labels: obj.labels,
        annotations: obj.annotations,
        ownerReferences: obj.owners,
      };
      return Promise.resolve({ status: 'found', metadata });
    };
    if (!this.hold) return answer();
    return new Promise((resolve, reject) => this.held.push(() => answer().then(resolve, reject)));
  }
}

export function ownerRef(apiVersion: string, kind: string, name: string, controller = true): OwnerReference {
  return { apiVersion, kind, name, uid: `uid-${name}`, controller };
}

export function ref(kind: string, name: string, namespace = 'default', apiVersion = 'v1'): ObjectReference {
  return { apiVersion, kind, name, namespace };
}

export interface Recorded {
  readonly counts: { hit: number; miss: number; errors: string[]; forbidden: string[] };
  readonly logs: { fields: Record<string, unknown>; message: string }[];
  readonly observer: ObjectCacheObserver;
  readonly logger: CacheLogger;
}

export function recorder(): Recorded {
  const counts = { hit: 0, miss: 0, errors: [] as string[], forbidden: [] as string[] };
  const logs: Recorded['logs'] = [];
  return {
    counts,
    logs,
    observer: {
      hit: () => counts.hit++,
      miss: () => counts.miss++,
      error: (reason) => counts.errors.push(reason),
      forbidden: (kind) => counts.forbidden.push(kind),
    },
    logger: { warn: (fields, message) => logs.push({ fields, message }) },
  };
}
