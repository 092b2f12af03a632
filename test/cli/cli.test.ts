import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { REAL_EVENTS_PATH, realEventLines, realEventsNdjson } from '../support/real-events.ts';
import { cli, EXAMPLE, tempFile } from './cli-process.ts';

function jsonLines(text: string): unknown[] {
  return text
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as unknown);
}

describe('kube-event-router CLI', () => {
  it('check passes the example config with a summary', () => {
    const run = cli(['check', '-c', EXAMPLE]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /config\.example\.yaml: OK/);
    assert.match(
      run.stdout,
      /receivers: \d+: dump \(stdout\), oncall \(webhook\), nodes \(webhook\), payments-team \(webhook\), archive \(file\)/,
    );
  });

  it('check lists every problem with file:line:column and exits 1', () => {
    const run = cli(['check', '-c', 'test/fixtures/config/bad-several-problems.yaml']);
    assert.equal(run.status, 1);
    const [head, ...rest] = run.stderr.trim().split('\n');
    assert.match(
      head ?? '',
      /^Invalid config test\/fixtures\/config\/bad-several-problems\.yaml \(5 problems\):$/,
    );
    const lines = rest.slice(0, rest.indexOf('Warnings:'));
    assert.equal(lines.length, 5, run.stderr);
    assert.match(rest.slice(rest.indexOf('Warnings:') + 1).join('\n'), /throttlePeriod: is deprecated/);
    for (const line of lines)
      assert.match(line, /^ {2}test\/fixtures\/config\/bad-several-problems\.yaml:\d+:\d+ \S/);
  });

  it('rejects bad usage with exit 2', () => {
    const cases: string[][] = [
      ['frobnicate'],
      ['check'],
      ['route-test', '-c', EXAMPLE],
      ['render', '-c', EXAMPLE, '--demo'],
    ];
    for (const args of cases) {
      const run = cli(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.match(run.stderr, /^kube-event-router: /);
    }
  });

  it('routes the real events through the example config as its rules say', () => {
    const run = cli(['route-test', '-c', EXAMPLE, '--events', REAL_EVENTS_PATH, '--output', 'json']);
    assert.equal(run.status, 0, run.stderr);
    const raws = jsonLines(realEventsNdjson()) as Record<string, unknown>[];
    const results = jsonLines(run.stdout) as { uid: string; receivers: string[]; trace: unknown[] }[];
    assert.equal(results.length, raws.length);
    let oncall = 0;
    results.forEach((result, i) => {
      const raw = raws[i] ?? {};
      const meta = (raw['metadata'] ?? {}) as Record<string, string>;
      assert.deepEqual(result.receivers, [...result.receivers].sort(), 'receivers sorted');
      assert.ok(result.trace.length > 0);
      const rootDropped =
        /^kube-node-lease$/.test(meta['namespace'] ?? '') || raw['reason'] === 'LeaderElection';
      assert.equal(result.receivers.includes('dump'), !rootDropped, `dump for ${result.uid}`);
      if (!rootDropped)
        assert.equal(
          result.receivers.includes('archive'),
          raw['type'] === 'Warning',
          `archive for ${result.uid}`,
        );
      if (raw['type'] === 'Warning' && !rootDropped && !/-test$/.test(meta['namespace'] ?? '')) {
        assert.ok(result.receivers.includes('oncall'), `oncall for ${result.uid}`);
      }
      if (result.receivers.includes('oncall')) oncall++;
    });
    assert.ok(oncall > 100, `oncall reached by ${oncall} events`);
  });

  it('reads events from standard input and prints a readable trace', () => {
    const event =
      realEventLines().find((l) => l.includes('"reason":"BackOff"') && l.includes('"type":"Warning"')) ?? '';
    const run = cli(['route-test', '-c', EXAMPLE, '--events', '-'], event);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^Warning BackOff/);
    assert.match(run.stdout, /root\/0: match\[0\] \(every event\) → dump/);
    assert.match(run.stdout, /root\/4: match\[0\] \{ type: \^Warning\$ \} → archive/);
  });

  it('renders every real event for every receiver of the example config', () => {
    for (const receiver of ['dump', 'oncall', 'nodes', 'payments-team', 'archive']) {
      const run = cli([
        'render',
        '-c',
        EXAMPLE,
        '--receiver',
        receiver,
        '--events',
        REAL_EVENTS_PATH,
        '-o',
        'json',
      ]);
      assert.equal(run.status, 0, `${receiver}: ${run.stderr}`);
      const requests = jsonLines(run.stdout) as Record<string, unknown>[];
      assert.equal(requests.length, 934, receiver);
      for (const r of requests) {
        assert.equal(r['receiver'], receiver);
        // webhooks show their request, stdout and file the body they write
        assert.ok(typeof r['method'] === 'string' || typeof r['body'] === 'string', receiver);
      }
    }
  });

  it('render prints an error line for an event whose template fails, renders the rest, and exits 1', () => {
    const config = tempFile(
      'config.yaml',
      [
        'route:',
        '  match:',
        '    - receiver: hook',
        'receivers:',
        '  - name: hook',
        '    webhook:',
        '      endpoint: http://127.0.0.1:9/',
        '      layout:',
        '        short: \'{{ if eq .Reason "BackOff" }}{{ slice .Reason 5 1 }}{{ else }}{{ .Reason }}{{ end }}\'',
      ].join('\n'),
    );
    const run = cli([
      'render',
      '-c',
      config,
      '--receiver',
      'hook',
      '--events',
      REAL_EVENTS_PATH,
      '-o',
      'json',
    ]);
    assert.equal(run.status, 1);
    const lines = jsonLines(run.stdout) as Record<string, unknown>[];
    assert.equal(lines.length, 934);
    const failed = lines.filter((l) => 'error' in l);
    assert.equal(failed.length, 21, 'the 21 BackOff events fail');
    assert.ok(failed.every((l) => typeof l['uid'] === 'string' && /slice/.test(String(l['error']))));
    assert.match(run.stderr, /render: 21 of 934 events failed to render/);
  });

  it('lists the presets', () => {
    const run = cli(['presets']);
    assert.equal(run.status, 0);
    for (const name of ['node_notready', 'pod_backoff', 'npd_taskhung', 'pod_oomkilled', 'pod_crashloop']) {
      assert.match(run.stdout, new RegExp(`^${name} `, 'm'));
    }
  });
});
