// Event text cannot inject structure into any payload (issue 7, item 6): for every receiver type
// in the registry, an event whose message, reason, names, labels and annotations hold JSON
// breakers, HTML, newlines, template actions, ANSI escapes and NUL is rendered with the default
// payload and with a layout, sent to the type's local server, and what arrived is parsed as the
// wire format: the hostile text must be data, whole, at its place, and never evaluated.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { ReceiverConfig } from '../../src/config/schema.ts';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { createRenderer } from '../../src/output/payload.ts';
import { RECEIVER_SPECS } from '../../src/receivers/registry.ts';
import { createLogger } from '../../src/telemetry/log.ts';
import type { ConformanceEntry } from '../receivers/conformance/harness.ts';
import { receiverFromYaml } from '../output/helpers.ts';
import { buildReceiver, conformanceEntries } from './entries.ts';

const HOSTILE =
  '"}, "x": {"</script><script>alert(1)</script>\n\r\t{{ .Reason }}{{ env "HOME" }}\u001b[31mred\u001b[0m\u0000nul\u2028\u2029\\\'`$(id)';
/** Each field gets its own tag so a value is checked at its place, not just somewhere. */
const at = (field: string): string => `${field}:${HOSTILE}`;

function hostileEvent(): EnrichedEvent {
  return {
    raw: {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: {
        name: at('name'),
        namespace: 'default',
        uid: 'uid-injection',
        creationTimestamp: '2024-01-01T00:00:00Z',
        labels: { team: at('eventLabel') },
        annotations: { note: at('eventAnnotation') },
      },
      involvedObject: { kind: 'Pod', name: at('objectName'), namespace: 'default' },
      reason: at('reason'),
      message: at('message'),
      type: 'Warning',
      count: 1,
      firstTimestamp: '2024-01-01T00:00:00Z',
      lastTimestamp: '2024-01-01T00:00:00Z',
      source: { component: at('component') },
    },
    object: {
      labels: { app: at('objectLabel') },
      annotations: { doc: at('objectAnnotation') },
      ownerReferences: [],
      deleted: false,
    },
    occurrence: 1,
    clusterName: 'c',
    environment: {},
  };
}

const LAYOUT_YAML = [
  '- name: layout',
  '  stdout:',
  '    layout:',
  '      msg: "{{ .Message }}"',
  '      why: "{{ .Reason }}"',
  '      obj: "{{ .InvolvedObject.Name }}"',
  '      app: "{{ index .InvolvedObject.Labels \\"app\\" }}"',
  '      all: "{{ toJson .InvolvedObject.Labels }}"',
].join('\n');

/** Every object node in what arrived (bodies may be JSON text inside JSON: parsed too). */
function objects(value: unknown, out: Record<string, unknown>[] = []): Record<string, unknown>[] {
  if (typeof value === 'string') {
    const t = value.trim();
    if (t.startsWith('{') || t.startsWith('[')) {
      try {
        objects(JSON.parse(t) as unknown, out);
      } catch {
        // Not JSON: plain text.
      }
    }
  } else if (Array.isArray(value)) for (const v of value) objects(v, out);
  else if (value !== null && typeof value === 'object') {
    out.push(value as Record<string, unknown>);
    for (const v of Object.values(value)) objects(v, out);
  }
  return out;
}

function get(obj: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    obj,
  );
}

function strings(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (value !== null && typeof value === 'object') for (const v of Object.values(value)) strings(v, out);
  return out;
}

function withoutControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '');
}

function unescapeMarkup(text: string): string {
  return text
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}

function assertNoInjectedKey(type: string, nodes: readonly Record<string, unknown>[]): void {
  for (const node of nodes)
    assert.ok(
      !Object.keys(node).includes('x'),
      `${type}: an injected key "x" in ${JSON.stringify(node).slice(0, 300)}`,
    );
}

/** Templated HTTP headers rendered plain (they are checked on their own below); every other templated option keeps the hostile text. */
function safeHeaders(templated: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(templated).map(([key, value]) => [key, key.startsWith('headers.') ? 'plain' : value]),
  );
}

const silent = new Writable({ write: (_c, _e, done) => done() });
const logger = createLogger({ level: 'silent', format: 'json', destination: silent, base: null });

let entries: Map<string, ConformanceEntry>;
/** Types whose wire format is their own text, checked for the whole message rather than field by field. */
const textChecked: string[] = [];
before(async () => {
  entries = await conformanceEntries();
});

describe('security: event text is data in every receiver', () => {
  const layout = receiverFromYaml(LAYOUT_YAML).layout;
  assert.ok(layout !== undefined);

  for (const spec of RECEIVER_SPECS) {
    for (const mode of ['default payload', 'layout'] as const) {
      it(`${spec.type}: ${mode}`, async () => {
        const entry = entries.get(spec.type);
        assert.ok(
          entry,
          `${spec.type} has no conformance entry (test/receivers/conformance/${spec.type}.ts), so its wire format cannot be checked`,
        );
        const started = await entry.start();
        try {
          started.answer('ok');
          const loaded = receiverFromYaml(started.receiverYaml, { ...entry.env });
          const config: ReceiverConfig =
            mode === 'layout' ? { ...loaded, layout } : { ...loaded, layout: undefined };
          const receiver = buildReceiver(started, config, logger);
          // Templated headers are checked below; here the body and the other templated options are.
          const rendered = createRenderer(config)(hostileEvent());
          const payload0 = { ...rendered, templated: safeHeaders(rendered.templated) };
          const result = await receiver.send([payload0], new AbortController().signal);
          await receiver.close();
          assert.equal(result.kind, 'ok', JSON.stringify(result));
          const nodes = objects(await started.takeReceived());
          assertNoInjectedKey(spec.type, nodes);
          const checks: [string[], string][] =
            mode === 'layout'
              ? [
                  [['msg'], at('message')],
                  [['why'], at('reason')],
                  [['obj'], at('objectName')],
                  [['app'], at('objectLabel')],
                ]
              : [
                  [['message'], at('message')],
                  [['reason'], at('reason')],
                  [['metadata', 'name'], at('name')],
                  [['involvedObject', 'name'], at('objectName')],
                  [['source', 'component'], at('component')],
                  [['involvedObject', 'labels', 'app'], at('objectLabel')],
                  [['involvedObject', 'annotations', 'doc'], at('objectAnnotation')],
                  [['metadata', 'labels', 'team'], at('eventLabel')],
                  [['metadata', 'annotations', 'note'], at('eventAnnotation')],
                ];
          // The node that carries the payload (an envelope, e.g. syslog's, may hold it under the same key).
          const payload = nodes.find((n) => checks.every(([path]) => typeof get(n, path) === 'string'));
          if (payload === undefined) {
            // A receiver that writes its own text (chat messages, syslog lines) rather than the
            // payload: the message must still be there whole, as text (markup escapes undone).
            // Control characters may be stripped by a text format; everything else must stay.
            const texts = strings(nodes).map((t) => withoutControls(unescapeMarkup(t)));
            textChecked.push(`${spec.type} (${mode})`);
            assert.ok(
              texts.some((t) => t.includes(withoutControls(at('message')))),
              `${spec.type}: the message is not whole in what arrived: ${JSON.stringify(nodes[0]).slice(0, 500)}`,
            );
            return;
          }
          for (const [path, value] of checks)
            assert.equal(
              get(payload, path),
              value,
              `${spec.type}: ${path.join('.')} is not the hostile text, whole and unevaluated`,
            );
          if (mode === 'layout') {
            // toJson output is itself JSON data inside a string: parsed, the label is still whole.
            assert.deepEqual(JSON.parse(String(payload['all'])), { app: at('objectLabel') });
          }
        } finally {
          await started.close();
        }
      });
    }
  }
});

after(() => {
  console.log(
    `# injection: ${RECEIVER_SPECS.length} receiver types; checked as text (own wire format): ${textChecked.join(', ') || 'none'}`,
  );
  silent.destroy();
});

describe('security: event text in a templated HTTP header', () => {
  it('webhook: a header that would hold a newline or NUL is never sent and never retried', async () => {
    const entry = entries.get('webhook');
    assert.ok(entry);
    const started = await entry.start();
    try {
      started.answer('ok');
      const config = receiverFromYaml(started.receiverYaml, { ...entry.env });
      assert.ok(
        Object.keys(config.templates).some((k) => k.startsWith('headers.')),
        'the webhook entry has a templated header',
      );
      const receiver = buildReceiver(started, config, logger);
      const result = await receiver.send(
        [createRenderer(config)(hostileEvent())],
        new AbortController().signal,
      );
      await receiver.close();
      // Dead-lettered at once: retrying a request that cannot be formed only delays that.
      assert.equal(result.kind, 'drop');
      assert.equal(result.kind === 'drop' ? result.reason : undefined, 'renderError');
      assert.deepEqual(await started.takeReceived(), [], 'nothing with a split header reached the server');
    } finally {
      await started.close();
    }
  });
});
