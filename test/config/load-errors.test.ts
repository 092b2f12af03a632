// One fixture per kind of config problem (bad-*: refused, warn-*: loaded with warnings, as the
// exporter starts with it); each must produce exactly these lines, errors (E) then warnings (W).
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { SUPPORTED_RECEIVER_TYPES } from '../../src/receivers/registry.ts';
import { RULE_KEYS } from '../../src/route/rule-fields.ts';
import { NEVER_MATCHES as NEVER } from '../../src/route/go-scalar.ts';

const FIXTURES = new URL('../fixtures/config/', import.meta.url);
const LOST =
  'kubernetes-event-exporter loses the events this rule sends there, and here they go nowhere (the rule still gates its sub-routes)';
const ENV = { WEBHOOK_TIMEOUT: 'slow-secret-value', BATCH_SIZE: '25', SLACK_TOKEN: 'xoxb-secret' };

const CASES: Record<string, readonly string[]> = {
  'warn-unknown-top-level-key': [
    'W 2:1 watchEvents: unknown key "watchEvents", ignored, as kubernetes-event-exporter ignores it; remove it',
  ],
  'warn-misspelled-key': [
    'W 1:1 maxEventAgeSecond: unknown key "maxEventAgeSecond", ignored, as kubernetes-event-exporter ignores it; did you mean "maxEventAgeSeconds"?',
    'W 2:1 clustername: unknown key "clustername", ignored, as kubernetes-event-exporter ignores it; did you mean "clusterName"?',
    'W 4:3 leaderElection.enable: unknown key "enable", ignored, as kubernetes-event-exporter ignores it; did you mean "enabled"?',
  ],
  'bad-wrong-type': [
    'E 1:10 kubeQPS: expected a number, got a string "fast"',
    'E 2:12 kubeBurst: expected an integer, got a number 2.5',
    'E 3:13 omitLookup: expected a boolean (true or false), got a string "yes"',
    'E 5:3 namespace: expected a namespace name or a list of them',
    'E 12:14 receivers[0].stdout.deDot: expected a boolean (true or false), got an integer 1',
  ],
  'bad-throttle-and-max-age': [
    'E 1:17 throttlePeriod: cannot be set together with maxEventAgeSeconds (throttlePeriod is its deprecated name)',
  ],
  'bad-undefined-env': [
    'E 1:14 clusterName: environment variable "CLUSTER_NAME" is not set',
    'E 8:44 receivers[0].webhook.endpoint: environment variable "HOOK_PATH" is not set',
    'E 10:31 receivers[0].webhook.headers.Authorization: environment variable "API_TOKEN" is not set',
  ],
  'bad-env-syntax': [
    'E 1:15 clusterName: unterminated "${" (write "$$" for a literal "$")',
    'E 6:11 receivers[0].name: invalid environment variable name "RECEIVER-NAME"',
    'E 9:48 receivers[0].stdout.layout.cost: environment variable "MISSING" is not set',
    `W 4:17 route.match[0].receiver: receiver "dump" is not defined (no receivers are defined); ${LOST}`,
  ],
  'bad-secret-redacted': [
    'E 8:18 receivers[0].webhook.timeoutMs: expected a number, got a string "${WEBHOOK_TIMEOUT}"',
    'E 10:18 receivers[0].batch.maxEvents: must be at least 1 (got -${BATCH_SIZE})',
  ],
  'warn-undefined-receiver': [
    `W 6:21 route.routes[1].match[0].receiver: receiver "slack-alerts" is not defined; defined receivers: dump; ${LOST}`,
  ],
  'bad-duplicate-receiver': [
    'E 7:11 receivers[1].name: duplicate receiver name "dump" (first at receivers[0])',
  ],
  // The hint lists every type the registry supports, in its order.
  'bad-receiver-no-type': [
    `E 5:5 receivers[0]: receiver "dump" has no type (add one of ${SUPPORTED_RECEIVER_TYPES.join(', ')})`,
  ],
  'bad-receiver-two-types': [
    'E 7:5 receivers[0].file: receiver "dump" has 2 types (stdout, file); a receiver has exactly one',
  ],
  'bad-unsupported-type': ['E 6:5 receivers[0].inMemory: receiver type "inMemory" is not supported yet'],
  // A receiver without a type is refused by the exporter too ("unknown sink"); beside a type,
  // unknown keys are skipped.
  'bad-receiver-unknown-key': [
    'E 6:5 receivers[0].webhok: unknown key "webhok" (did you mean "webhook"?), and the receiver has no type (the exporter refuses it too: "unknown sink")',
    'E 9:5 receivers[1].webhook.endpoint: is required',
    'W 10:7 receivers[1].webhook.endpont: unknown key "endpont", ignored, as kubernetes-event-exporter ignores it; did you mean "endpoint"?',
    'W 11:7 receivers[1].webhook.header: unknown key "header", ignored, as kubernetes-event-exporter ignores it; did you mean "headers"?',
    'W 13:5 receivers[1].retries: unknown key "retries", ignored, as kubernetes-event-exporter ignores it; remove it',
  ],
  'bad-receiver-item': [
    'E 5:5 receivers[0]: expected a map with a name and a receiver type',
    'E 6:5 receivers[1].name: is required',
    'E 7:11 receivers[2].name: expected a string',
    `W 3:17 route.match[0].receiver: receiver "dump" is not defined (no receivers are defined); ${LOST}`,
  ],
  'bad-receivers-shape': [
    'E 1:21 templateEnv[1]: must be an environment variable name',
    'E 3:11 environment.region: expected a string, got a list',
    'E 8:3 receivers: expected a list, got a map',
    `W 6:17 route.match[0].receiver: receiver "dump" is not defined (no receivers are defined); ${LOST}`,
  ],
  'warn-glob-regex': [
    `W 6:22 route.routes[1].drop[0].namespace: invalid regular expression "*test*" (looks like a glob; did you mean ".*test.*"?); ${NEVER}`,
  ],
  'warn-re2': [
    `W 4:19 route.routes[0].drop[0].reason: invalid regular expression "(Failed": missing closing ); ${NEVER}`,
    `W 6:20 route.routes[0].match[0].message: invalid regular expression "[z-a]": invalid character class range: z-a; ${NEVER}`,
  ],
  // The exporter skips the unknown key, leaving a drop rule without conditions: it drops everything.
  'warn-unknown-rule-key': [
    `W 4:11 route.routes[0].drop[0].podName: unknown key "podName" in rule, ignored, as kubernetes-event-exporter ignores it; valid keys: ${RULE_KEYS.join(', ')}`,
    'W 4:11 route.routes[0].drop[0]: this drop rule has no conditions, so it drops every event here and below',
    'W 7:11 route.routes[0].match[0].nmespace: unknown key "nmespace" in rule, ignored, as kubernetes-event-exporter ignores it; did you mean "namespace"?',
  ],
  'bad-layout-syntax': [
    'E 8:29 receivers[0].stdout.layout.reason: 1:12: unexpected "}" in operand in template "{{ .Reason }"',
    'E 12:27 receivers[0].stdout.layout.details.message: 2:15: unexpected "}" in operand in template "{{ if .Message }}\\n  {{ .Message }\\n{{ end }}\\n"',
  ],
  'bad-template-function': [
    'E 8:31 receivers[0].stdout.layout.reason: 1:14: function "shout" not defined in template "{{ .Reason | shout }}"',
  ],
  'bad-template-field': [
    'E 8:21 receivers[0].stdout.layout.reason: 1:4: field "Reasn" not found in type *kube.EnhancedEvent; did you mean "Reason"? in template "{{ .Reasn }}"',
    'E 9:34 receivers[0].stdout.layout.kind: 1:19: field "Knd" not found in type kube.EnhancedObjectReference; did you mean "Kind"? in template "{{ .InvolvedObject.Knd }}"',
  ],
  'bad-webhook-header-template': [
    'E 9:30 receivers[0].webhook.headers.X-Reason: 1:11: unclosed action in template "{{ .Reason"',
  ],
  // webhook batches (maxEvents 50) are allowed since the webhook sends JSON arrays.
  'bad-batch-interval': ['E 10:24 receivers[0].batch.flushIntervalMs: must be at least 0 (got -1)'],
  'bad-queue-policy': [
    'E 8:18 receivers[0].queue.maxEvents: must be at least 1 (got 0)',
    'E 9:15 receivers[0].queue.policy: must be one of block | dropOldest | deadLetter (got "dropNewest")',
  ],
  // queue.policy deadLetter without deadLetter.path is fine: the default dead-letter file takes them.
  'bad-dead-letter-without-path': [
    'E 10:23 receivers[0].retry.initialDelayMs: must not be above retry.maxDelayMs',
  ],
  'bad-tls': [
    'E 8:7 receivers[0].webhook.tls.keyFile: is required when certFile is set',
    'W 10:9 receivers[0].webhook.tls.insecure: unknown key "insecure", ignored, as kubernetes-event-exporter ignores it; remove it',
  ],
  'bad-metrics-prefix': [
    'E 1:20 metricsNamePrefix: must match ^[a-zA-Z][a-zA-Z0-9_:]*_$ (e.g. "event_exporter_")',
    'E 2:12 logFormat: must be one of json | pretty (got "text")',
    'E 3:10 repeats: must be one of all | first (got "twice")',
  ],
  'bad-yaml-syntax': [
    'E 8:19 invalid YAML: a map key must be a scalar (a value holding a template must be quoted)',
  ],
  'bad-several-problems': [
    'E 1:11 logLevel: must be one of trace | debug | info | warn | error | fatal | panic (got "verbose")',
    'E 12:11 receivers[1].name: duplicate receiver name "dump" (first at receivers[0])',
    'E 14:17 receivers[1].webhook.endpoint: must be an http:// or https:// URL',
    'E 15:15 receivers[1].webhook.method: must be one of POST | PUT | PATCH (got "GET")',
    'E 17:5 receivers[2].inMemory: receiver type "inMemory" is not supported yet',
    'W 2:17 throttlePeriod: is deprecated; use maxEventAgeSeconds',
    `W 7:21 route.routes[0].match[1].receiver: receiver "missing" is not defined; defined receivers: dump, es; ${LOST}`,
    'W 11:7 receivers[0].stdout.dedot: unknown key "dedot", ignored, as kubernetes-event-exporter ignores it; did you mean "deDot"?',
  ],
};

function load(fileName: string, strict = false) {
  const text = readFileSync(new URL(fileName, FIXTURES), 'utf8');
  return loadConfigText(text, { fileName, env: ENV, strict });
}

/** `E file:line:col …` for each error, then `W …` for each warning. */
function problemLines(fileName: string): string[] {
  try {
    return load(fileName).warnings.map((w) => `W ${w}`);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [...err.lines.map((l) => `E ${l}`), ...err.warnings.map((w) => `W ${w}`)];
  }
}

function position(line: string): number[] {
  return (/:(\d+):(\d+) /.exec(line)?.slice(1) ?? []).map(Number);
}

describe('config problems', () => {
  for (const [name, lines] of Object.entries(CASES)) {
    const fileName = `${name}.yaml`;
    const expected = lines.map((line) => `${line.slice(0, 2)}${fileName}:${line.slice(2)}`);
    it(name, () => assert.deepEqual(problemLines(fileName), expected));

    // --strict: every warning is an error with the same located message, in file order.
    it(`${name} --strict`, () => {
      const all = expected.map((line) => line.slice(2));
      all.sort((a, b) => {
        const [la = 0, ca = 0] = position(a);
        const [lb = 0, cb = 0] = position(b);
        return la - lb || ca - cb;
      });
      assert.throws(
        () => load(fileName, true),
        (err: unknown) => err instanceof ConfigError && assert.deepEqual(err.lines, all) === undefined,
      );
    });
  }

  it('has a case for every bad-*.yaml and warn-*.yaml fixture', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.startsWith('bad-') || f.startsWith('warn-'));
    assert.deepEqual(fixtures.map((f) => f.slice(0, -5)).sort(), Object.keys(CASES).sort());
  });

  it('loads every warn-*.yaml fixture (the exporter starts with it)', () => {
    for (const name of Object.keys(CASES).filter((n) => n.startsWith('warn-'))) {
      assert.ok(load(`${name}.yaml`).warnings.length > 0, name);
    }
  });

  it('never shows a secret from the environment', () => {
    for (const name of Object.keys(CASES)) {
      for (const line of problemLines(`${name}.yaml`)) {
        for (const secret of Object.values(ENV)) assert.ok(!line.includes(secret), line);
      }
    }
  });
});
