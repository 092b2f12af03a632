// The document side of the local Elasticsearch/OpenSearch server: indexes keyed by name, documents
// by _id (so a document indexed twice is visible), index templates, data streams, and dynamic
// mapping as far as it decides success: a field is an object or a value, and dotted keys are
// object paths (`app.kubernetes.io/name` makes `app` an object), so `app` vs
// `app.kubernetes.io/name` fails as a real cluster fails. Types of values are not modelled.

export interface StoredDoc {
  readonly source: Record<string, unknown>;
  version: number;
}

export interface IndexTemplate {
  readonly name: string;
  readonly body: Record<string, unknown>;
}

export interface ItemError {
  readonly status: number;
  readonly type: string;
  readonly reason: string;
}

interface IndexState {
  readonly docs: Map<string, StoredDoc>;
  /** Field path → what dynamic mapping made of it. */
  readonly fields: Map<string, 'object' | 'value'>;
  /** Paths mapped `flattened` / `flat_object` by a template: nothing below them is mapped. */
  readonly flat: ReadonlySet<string>;
  readonly dataStream: boolean;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Glob match as index_patterns use it (`*` only). */
export function globMatch(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(name);
}

function flatPaths(properties: unknown, prefix: string, out: Set<string>): void {
  if (!isObject(properties)) return;
  for (const [key, def] of Object.entries(properties)) {
    if (!isObject(def)) continue;
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (def['type'] === 'flattened' || def['type'] === 'flat_object') out.add(path);
    flatPaths(def['properties'], path, out);
  }
}

export class BulkStore {
  readonly indexes = new Map<string, IndexState>();
  readonly templates = new Map<string, IndexTemplate>();
  /** Successful writes per `<index>/<_id>`: above 1 = indexed twice. */
  readonly writes = new Map<string, number>();

  private template(index: string): IndexTemplate | undefined {
    let best: IndexTemplate | undefined;
    for (const t of this.templates.values()) {
      const patterns = (t.body['index_patterns'] as string[] | string | undefined) ?? [];
      const list = Array.isArray(patterns) ? patterns : [patterns];
      if (!list.some((p) => globMatch(p, index))) continue;
      if (best === undefined || Number(t.body['priority'] ?? 0) > Number(best.body['priority'] ?? 0))
        best = t;
    }
    return best;
  }

  private state(index: string): IndexState {
    let state = this.indexes.get(index);
    if (state === undefined) {
      const template = this.template(index);
      const flat = new Set<string>();
      const mappings = (template?.body['template'] as { mappings?: { properties?: unknown } } | undefined)
        ?.mappings;
      flatPaths(mappings?.properties, '', flat);
      state = {
        docs: new Map(),
        fields: new Map(),
        flat,
        dataStream: template !== undefined && isObject(template.body['data_stream']),
      };
      this.indexes.set(index, state);
    }
    return state;
  }

  /** The dynamic-mapping verdict for a document; commits its new fields when it fits. */
  private map(state: IndexState, source: Record<string, unknown>, id: string): ItemError | undefined {
    const added = new Map<string, 'object' | 'value'>();
    const kindOf = (path: string): 'object' | 'value' | undefined =>
      added.get(path) ?? state.fields.get(path);
    const walk = (obj: Record<string, unknown>, prefix: string): ItemError | undefined => {
      for (const [key, value] of Object.entries(obj)) {
        const parts = key.split('.');
        let path = prefix;
        for (let i = 0; i < parts.length; i++) {
          path = path === '' ? (parts[i] as string) : `${path}.${parts[i] as string}`;
          if (state.flat.has(path)) break;
          const last = i === parts.length - 1;
          const want = !last || isObject(value) ? 'object' : 'value';
          const have = kindOf(path);
          if (have !== undefined && have !== want) return mappingError(path, key, want, id);
          added.set(path, want);
          if (last && isObject(value)) {
            const err = walk(value, path);
            if (err !== undefined) return err;
          }
        }
      }
      return undefined;
    };
    const err = walk(source, '');
    if (err === undefined) for (const [path, kind] of added) state.fields.set(path, kind);
    return err;
  }

  /** One index / create operation; the item's result as the bulk answer carries it. */
  write(
    op: 'index' | 'create',
    index: string,
    id: string,
    source: Record<string, unknown>,
  ): { status: number; result?: string; version?: number; error?: ItemError } {
    const state = this.state(index);
    if (state.dataStream && op !== 'create') {
      return {
        status: 400,
        error: {
          status: 400,
          type: 'illegal_argument_exception',
          reason: `only write ops with an op_type of create are allowed in data streams`,
        },
      };
    }
    if (state.dataStream && source['@timestamp'] === undefined) {
      return {
        status: 400,
        error: {
          status: 400,
          type: 'document_parsing_exception',
          reason: `[1:1] failed to parse: data stream timestamp field [@timestamp] is missing`,
        },
      };
    }
    const existing = state.docs.get(id);
    if (existing !== undefined && op === 'create') {
      const reason = `[${id}]: version conflict, document already exists (current version [${existing.version}])`;
      return { status: 409, error: { status: 409, type: 'version_conflict_engine_exception', reason } };
    }
    const mapping = this.map(state, source, id);
    if (mapping !== undefined) return { status: 400, error: mapping };
    const version = (existing?.version ?? 0) + 1;
    state.docs.set(id, { source, version });
    const key = `${index}/${id}`;
    this.writes.set(key, (this.writes.get(key) ?? 0) + 1);
    return existing === undefined
      ? { status: 201, result: 'created', version }
      : { status: 200, result: 'updated', version };
  }

  /** Every stored document, across indexes. */
  docs(): { index: string; id: string; source: Record<string, unknown> }[] {
    return [...this.indexes].flatMap(([index, state]) =>
      [...state.docs].map(([id, doc]) => ({ index, id, source: doc.source })),
    );
  }

  /** `<index>/<_id>` written more than once (in `index` only, when given). */
  writtenTwice(index?: string): string[] {
    return [...this.writes]
      .filter(([key, n]) => n > 1 && (index === undefined || key.startsWith(`${index}/`)))
      .map(([key]) => key);
  }
}

function mappingError(path: string, key: string, want: 'object' | 'value', id: string): ItemError {
  const reason =
    want === 'object'
      ? `Could not dynamically add mapping for field [${key}]. Existing mapping for [${path}] must be of type object but found [keyword].`
      : `failed to parse field [${path}] of type [object] in document with id '${id}'. Preview of field's value: 'tried to parse field [${key}] as object, but found a concrete value'`;
  return { status: 400, type: 'document_parsing_exception', reason: `[1:1] ${reason}` };
}
