// One fixture per kind of config failure; each must produce exactly these lines.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ConfigError, loadConfigText } from '../../src/config/load.ts';
import { SUPPORTED_RECEIVER_TYPES } from '../../src/receivers/registry.ts';

const FIXTURES = new URL('../fixtures/config/', import.meta.url);
const ENV = { WEBHOOK_TIMEOUT: 'slow-secret-value', BATCH_SIZE: '25', SLACK_TOKEN: 'xoxb-secret' };

const CASES: Record<string, readonly string[]> = {
  'unknown-top-level-key': ['2:1 watchEvents: unknown key "watchEvents"'],
  'misspelled-key': [
    '1:1 maxEventAgeSecond: unknown key "maxEventAgeSecond" (did you mean "maxEventAgeSeconds"?)',
    '2:1 clustername: unknown key "clustername" (did you mean "clusterName"?)',
    '4:3 leaderElection.enable: unknown key "enable" (did you mean "enabled"?)',
  ],
  'wrong-type': [
    '1:10 kubeQPS: expected a number, got a string "fast"',
    '2:12 kubeBurst: expected an integer, got a number 2.5',
    '3:13 omitLookup: expected a boolean (true or false), got a string "yes"',
    '5:3 namespace: expected a namespace name or a list of them',
    '12:14 receivers[0].stdout.deDot: expected a boolean (true or false), got an integer 1',
  ],
  'throttle-and-max-age': [
    '1:17 throttlePeriod: cannot be set together with maxEventAgeSeconds (throttlePeriod is its deprecated name)',
  ],
  'undefined-env': [
    '1:14 clusterName: environment variable "CLUSTER_NAME" is not set',
    '8:44 receivers[0].webhook.endpoint: environment variable "HOOK_PATH" is not set',
    '10:31 receivers[0].webhook.headers.Authorization: environment variable "API_TOKEN" is not set',
  ],
  'env-syntax': [
    '1:15 clusterName: unterminated "${" (write "$$" for a literal "$")',
    '4:17 route.match[0].receiver: receiver "dump" is not defined (no receivers are defined)',
    '6:11 receivers[0].name: invalid environment variable name "RECEIVER-NAME"',
    '9:48 receivers[0].stdout.layout.cost: environment variable "MISSING" is not set',
  ],
  'secret-redacted': [
    '8:18 receivers[0].webhook.timeoutMs: expected a number, got a string "${WEBHOOK_TIMEOUT}"',
    '10:18 receivers[0].batch.maxEvents: must be at least 1 (got -${BATCH_SIZE})',
  ],
  'undefined-receiver': [
    '6:21 route.routes[1].match[0].receiver: receiver "slack-alerts" is not defined; defined receivers: dump',
  ],
  'duplicate-receiver': ['7:11 receivers[1].name: duplicate receiver name "dump" (first at receivers[0])'],
  // The hint lists every type the registry supports, in its order.
  'receiver-no-type': [
    `5:5 receivers[0]: receiver "dump" has no type (add one of ${SUPPORTED_RECEIVER_TYPES.join(', ')})`,
  ],
  'receiver-two-types': [
    '7:5 receivers[0].file: receiver "dump" has 2 types (stdout, file); a receiver has exactly one',
  ],
  'unsupported-type': ['6:5 receivers[0].inMemory: receiver type "inMemory" is not supported yet'],
  'receiver-unknown-key': [
    '6:5 receivers[0].webhok: unknown key "webhok" (did you mean "webhook"?)',
    '9:5 receivers[1].webhook.endpoint: is required',
    '10:7 receivers[1].webhook.endpont: unknown key "endpont" (did you mean "endpoint"?)',
    '11:7 receivers[1].webhook.header: unknown key "header" (did you mean "headers"?)',
    '13:5 receivers[1].retries: unknown key "retries"',
  ],
  'receiver-item': [
    '3:17 route.match[0].receiver: receiver "dump" is not defined (no receivers are defined)',
    '5:5 receivers[0]: expected a map with a name and a receiver type',
    '6:5 receivers[1].name: is required',
    '7:11 receivers[2].name: expected a string',
  ],
  'receivers-shape': [
    '1:21 templateEnv[1]: must be an environment variable name',
    '3:11 environment.region: expected a string, got a list',
    '6:17 route.match[0].receiver: receiver "dump" is not defined (no receivers are defined)',
    '8:3 receivers: expected a list, got a map',
  ],
  'glob-regex': [
    '6:22 route.routes[1].drop[0].namespace: invalid regular expression "*test*" (looks like a glob; did you mean ".*test.*"?)',
  ],
  re2: [
    '4:19 route.routes[0].drop[0].reason: invalid regular expression "(Failed": missing closing )',
    '6:20 route.routes[0].match[0].message: invalid regular expression "[z-a]": invalid character class range: z-a',
  ],
  'unknown-rule-key': [
    '4:11 route.routes[0].drop[0].podName: unknown key "podName" in rule; valid keys: message, apiVersion, kind, namespace, reason, type, component, host, labels, annotations, minCount, receiver, name, objectNamespace, reportingController, clusterName, not, preset',
    '7:11 route.routes[0].match[0].nmespace: unknown key "nmespace" in rule; did you mean "namespace"?',
  ],
  'layout-syntax': [
    '8:29 receivers[0].stdout.layout.reason: 1:12: unexpected "}" in operand in template "{{ .Reason }"',
    '12:27 receivers[0].stdout.layout.details.message: 2:15: unexpected "}" in operand in template "{{ if .Message }}\\n  {{ .Message }\\n{{ end }}\\n"',
  ],
  'template-function': [
    '8:31 receivers[0].stdout.layout.reason: 1:14: function "shout" not defined in template "{{ .Reason | shout }}"',
  ],
  'template-field': [
    '8:21 receivers[0].stdout.layout.reason: 1:4: field "Reasn" not found in type *kube.EnhancedEvent; did you mean "Reason"? in template "{{ .Reasn }}"',
    '9:34 receivers[0].stdout.layout.kind: 1:19: field "Knd" not found in type kube.EnhancedObjectReference; did you mean "Kind"? in template "{{ .InvolvedObject.Knd }}"',
  ],
  'webhook-header-template': [
    '9:30 receivers[0].webhook.headers.X-Reason: 1:11: unclosed action in template "{{ .Reason"',
  ],
  // webhook batches (maxEvents 50) are allowed since the webhook sends JSON arrays.
  'batch-interval': ['10:24 receivers[0].batch.flushIntervalMs: must be at least 0 (got -1)'],
  'queue-policy': [
    '8:18 receivers[0].queue.maxEvents: must be at least 1 (got 0)',
    '9:15 receivers[0].queue.policy: must be one of block | dropOldest | deadLetter (got "dropNewest")',
  ],
  // queue.policy deadLetter without deadLetter.path is fine: the default dead-letter file takes them.
  'dead-letter-without-path': ['10:23 receivers[0].retry.initialDelayMs: must not be above retry.maxDelayMs'],
  tls: [
    '8:7 receivers[0].webhook.tls.keyFile: is required when certFile is set',
    '10:9 receivers[0].webhook.tls.insecure: unknown key "insecure"',
  ],
  'metrics-prefix': [
    '1:20 metricsNamePrefix: must match ^[a-zA-Z][a-zA-Z0-9_:]*_$ (e.g. "event_exporter_")',
    '2:12 logFormat: must be one of json | pretty (got "text")',
    '3:10 repeats: must be one of all | first (got "twice")',
  ],
  'yaml-syntax': [
    '8:19 invalid YAML: a map key must be a scalar (a value holding a template must be quoted)',
  ],
  'several-problems': [
    '1:11 logLevel: must be one of trace | debug | info | warn | error | fatal | panic (got "verbose")',
    '7:21 route.routes[0].match[1].receiver: receiver "missing" is not defined; defined receivers: dump, es',
    '11:7 receivers[0].stdout.dedot: unknown key "dedot" (did you mean "deDot"?)',
    '12:11 receivers[1].name: duplicate receiver name "dump" (first at receivers[0])',
    '14:17 receivers[1].webhook.endpoint: must be an http:// or https:// URL',
    '15:15 receivers[1].webhook.method: must be one of POST | PUT | PATCH (got "GET")',
    '17:5 receivers[2].inMemory: receiver type "inMemory" is not supported yet',
  ],
};

function failureLines(fileName: string): string[] {
  const text = readFileSync(new URL(fileName, FIXTURES), 'utf8');
  try {
    loadConfigText(text, { fileName, env: ENV });
  } catch (err) {
    if (err instanceof ConfigError) return err.lines;
    throw err;
  }
  return [];
}

describe('config failures', () => {
  for (const [name, lines] of Object.entries(CASES)) {
    it(name, () => {
      const fileName = `bad-${name}.yaml`;
      assert.deepEqual(
        failureLines(fileName),
        lines.map((line) => `${fileName}:${line}`),
      );
    });
  }

  it('has a case for every bad-*.yaml fixture', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.startsWith('bad-'));
    assert.deepEqual(fixtures.map((f) => f.slice(4, -5)).sort(), Object.keys(CASES).sort());
  });

  it('returns the warnings found on the way with the error', () => {
    const text = readFileSync(new URL('bad-several-problems.yaml', FIXTURES), 'utf8');
    assert.throws(
      () => loadConfigText(text, { fileName: 'c.yaml', env: {} }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(err.warnings, ['c.yaml:2:17 throttlePeriod: is deprecated; use maxEventAgeSeconds']);
        return true;
      },
    );
  });

  it('never shows a secret from the environment', () => {
    for (const name of Object.keys(CASES)) {
      for (const line of failureLines(`bad-${name}.yaml`)) {
        for (const secret of Object.values(ENV)) assert.ok(!line.includes(secret), line);
      }
    }
  });
});
