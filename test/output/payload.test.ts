import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EnrichedEvent } from '../../src/event/event.ts';
import { goJsonStringify } from '../../src/go/json.ts';
import {
  RenderError,
  createRenderer,
  deDotEvent,
  occurrenceId,
  renderBody,
} from '../../src/output/payload.ts';
import { enhancedEventJson } from '../../src/template/index.ts';
import { oneEvent, realEvents, receiverFromYaml, someEvents } from './helpers.ts';

/** A real event whose involved object carries dotted label and annotation keys, as enrichment adds them. */
function labelled(event: EnrichedEvent): EnrichedEvent {
  return {
    ...event,
    raw: {
      ...event.raw,
      metadata: { ...event.raw.metadata, labels: { 'event.k8s.io/x': 'a' }, annotations: { plain: 'b' } },
    },
    object: {
      labels: { 'app.kubernetes.io/name': 'web', team: 'core' },
      annotations: { 'deployment.kubernetes.io/revision': '3' },
      ownerReferences: [],
      deleted: false,
    },
  };
}

describe('payload rendering', () => {
  it('is the enhanced event JSON without a layout, byte for byte, over every real event', () => {
    const render = createRenderer(receiverFromYaml('- name: r\n  stdout: {}'));
    for (const event of realEvents()) {
      const payload = render(event);
      assert.equal(payload.body, enhancedEventJson(event));
      assert.equal(payload.bytes, Buffer.byteLength(payload.body));
    }
  });

  it('is the layout as Go JSON with one', () => {
    const config = receiverFromYaml(
      `- name: r\n  file:\n    path: /x\n    layout: { reason: '{{ .Reason }}', kind: '{{ .InvolvedObject.Kind }}' }`,
    );
    const event = oneEvent();
    assert.equal(
      createRenderer(config)(event).body,
      goJsonStringify({ kind: 'Pod', reason: event.raw.reason }),
    );
    assert.equal(
      renderBody(config, event),
      createRenderer(config)(event).body,
      'render CLI and output agree',
    );
  });

  it('ids an occurrence as <uid>-<count>, whatever this process counted', () => {
    const base = oneEvent();
    const cases: { raw: Partial<typeof base.raw>; occurrence: number; id: string }[] = [
      { raw: { count: 7 }, occurrence: 1, id: '-7' },
      { raw: { count: 7 }, occurrence: 3, id: '-7' },
      { raw: { count: undefined, series: { count: 4 } }, occurrence: 1, id: '-4' },
      { raw: { count: undefined, series: undefined }, occurrence: 2, id: '-1' },
    ];
    for (const c of cases) {
      const event = { ...base, raw: { ...base.raw, ...c.raw }, occurrence: c.occurrence };
      assert.equal(occurrenceId(event), `${base.raw.metadata.uid}${c.id}`);
      assert.equal(
        createRenderer(receiverFromYaml('- name: r\n  stdout: {}'))(event).id,
        `${base.raw.metadata.uid}${c.id}`,
      );
    }
  });

  it('renders templated options per event', () => {
    const config = receiverFromYaml(
      `- name: r\n  webhook:\n    endpoint: http://h/\n    headers:\n      X-Reason: '{{ .Reason }}'\n      X-Ns: '{{ .Namespace }}'`,
    );
    const render = createRenderer(config);
    for (const event of someEvents(20)) {
      assert.deepEqual(render(event).templated, {
        'headers.X-Reason': event.raw.reason,
        'headers.X-Ns': event.raw.metadata.namespace,
      });
    }
  });

  it('throws RenderError naming the template', () => {
    const config = receiverFromYaml(`- name: r\n  stdout:\n    layout: { a: '{{ fail "nope" }}' }`);
    assert.throws(
      () => createRenderer(config)(oneEvent()),
      (err: unknown) =>
        err instanceof RenderError &&
        err.template === 'layout' &&
        /error calling fail: nope/.test(err.message),
    );
  });
});

describe('deDot', () => {
  it("replaces dots in the event's and the object's label and annotation keys, as the exporter does", () => {
    const event = labelled(oneEvent());
    const out = deDotEvent(event);
    assert.deepEqual(out.raw.metadata.labels, { 'event_k8s_io/x': 'a' });
    assert.deepEqual(out.object?.labels, { 'app_kubernetes_io/name': 'web', team: 'core' });
    assert.deepEqual(out.object?.annotations, { 'deployment_kubernetes_io/revision': '3' });
    assert.equal(event.object?.labels['app.kubernetes.io/name'], 'web', 'the input is not modified');
  });

  const cases: { type: string; block: string; deDot: boolean }[] = [
    { type: 'stdout', block: 'stdout: { deDot: true }', deDot: true },
    { type: 'stdout', block: 'stdout: {}', deDot: false },
    { type: 'file', block: 'file: { path: /x, deDot: true }', deDot: true },
    { type: 'webhook', block: 'webhook: { endpoint: "http://h/" }', deDot: false },
  ];
  for (const c of cases) {
    it(`${c.block} → ${c.deDot ? 'dedotted' : 'as is'}`, () => {
      const body = createRenderer(receiverFromYaml(`- name: r\n  ${c.block}`))(labelled(oneEvent())).body;
      const labels = (JSON.parse(body) as { involvedObject: { labels: Record<string, string> } })
        .involvedObject.labels;
      assert.deepEqual(
        Object.keys(labels),
        c.deDot ? ['app_kubernetes_io/name', 'team'] : ['app.kubernetes.io/name', 'team'],
      );
    });
  }

  it('applies before the layout, so templates see the dedotted keys', () => {
    const config = receiverFromYaml(
      `- name: r\n  stdout:\n    deDot: true\n    layout: { app: '{{ index .InvolvedObject.Labels "app_kubernetes_io/name" }}' }`,
    );
    assert.equal(createRenderer(config)(labelled(oneEvent())).body, '{"app":"web"}');
  });
});
