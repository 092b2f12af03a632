// The bigquery receiver's pure parts: the exporter's row shape, the answer classification, and
// the exporter's options as the config loader reads them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyRequest, classifyRowErrors } from '../../src/receivers/bigquery/classify.ts';
import { bigqueryRow, sanitizeKey } from '../../src/receivers/bigquery/rows.ts';
import { receiverFromYaml } from '../output/helpers.ts';

describe('bigquery rows, classification and options', () => {
  it("keys as the exporter's bigQuerySanitizeKey writes them", () => {
    const cases: [string, string][] = [
      ['reason', 'reason'],
      ['app.kubernetes.io/name', 'app_kubernetes_io_name'],
      ['1st', '_1st'],
      ['_private', '__private'],
      ['pod-template-hash', 'pod_template_hash'],
      ['ünïcode', 'ünïcode'],
    ];
    for (const [key, want] of cases) assert.equal(sanitizeKey(key), want, key);
  });

  it('rows drop nulls and sanitize keys through objects, not arrays', () => {
    assert.deepEqual(
      bigqueryRow(
        JSON.stringify({
          a: null,
          'x.y': { 'k/8': 1, gone: null },
          list: [{ 'in.array': null }],
          eventTime: null,
        }),
      ),
      { x_y: { k_8: 1 }, list: [{ 'in.array': null }] },
    );
    assert.equal(bigqueryRow('"a string layout"'), undefined);
  });

  it('row reasons and request statuses map to one action each', () => {
    const rows: [string[], string][] = [
      [['invalid'], 'drop'],
      [['stopped'], 'resend'],
      [['backendError'], 'retry:serverError'],
      [['rateLimitExceeded'], 'retry:rateLimited'],
      [['timeout'], 'retry:timeout'],
      [['accessDenied'], 'drop'],
      [['somethingNew'], 'retry:serverError'],
    ];
    for (const [reasons, want] of rows) {
      const a = classifyRowErrors(reasons);
      assert.equal(a.kind === 'retry' ? `retry:${a.reason}` : a.kind, want, reasons.join());
    }
    const requests: [number, string | undefined, string][] = [
      [401, 'authError', 'drop'],
      [403, 'accessDenied', 'drop'],
      [403, 'quotaExceeded', 'retry:rateLimited'],
      [404, 'notFound', 'drop'],
      [400, 'invalid', 'drop:split'],
      [408, undefined, 'retry:timeout'],
      [429, undefined, 'retry:rateLimited'],
      [502, undefined, 'retry:serverError'],
    ];
    for (const [status, reason, want] of requests) {
      const a = classifyRequest(status, reason);
      const got = a.kind === 'retry' ? `retry:${a.reason}` : a.perRow ? 'drop:split' : 'drop';
      assert.equal(got, want, `${status} ${reason ?? ''}`);
    }
  });

  it("accepts the exporter's options; names missing ones", () => {
    const exporter = receiverFromYaml(
      [
        '- name: bq',
        '  bigquery:',
        '    location: EU',
        '    project: p',
        '    dataset: d',
        '    table: t',
        '    credentials_path: /var/run/secrets/bq/key.json',
        '    batch_size: 250',
        '    max_retries: 3',
        '    interval_seconds: 10',
        '    timeout_seconds: 60',
      ].join('\n'),
    );
    assert.equal((exporter.options as { batch_size: number }).batch_size, 250);
    assert.throws(
      () => receiverFromYaml('- name: bq\n  bigquery:\n    project: p\n    dataset: d'),
      /bigquery\.table/,
    );
  });
});
