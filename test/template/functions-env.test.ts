// Functions whose results are not deterministic or depend on the config: env/expandenv behind the
// templateEnv allow-list, now/ago/uuidv4 by shape, and the function name list.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileEventTemplate, templateFunctionNames } from '../../src/template/index.ts';
import { enriched } from './fixtures.ts';

const event = enriched({
  metadata: { name: 'n' },
  involvedObject: {},
  firstTimestamp: '2024-01-01T00:00:00Z',
});
const render = (t: string, options = {}): string => compileEventTemplate(t, options).execute(event);

test('env and expandenv only read allow-listed variables', () => {
  process.env['KER_TEST_SECRET'] = 's3cret';
  process.env['KER_TEST_REGION'] = 'eu-1';
  const options = { templateEnv: ['KER_TEST_REGION'] };
  assert.equal(render('{{ env "KER_TEST_REGION" }}|{{ env "KER_TEST_SECRET" }}', options), 'eu-1|');
  assert.equal(render('{{ expandenv "r=$KER_TEST_REGION s=${KER_TEST_SECRET}" }}', options), 'r=eu-1 s=');
  assert.equal(render('{{ env "KER_TEST_REGION" }}'), '', 'default allow-list is empty');
});

test('now, ago and date use the injected clock', () => {
  const now = (): Date => new Date('2024-01-01T01:02:03Z');
  assert.equal(render('{{ now | date "2006-01-02 15:04:05" }}', { now }), '2024-01-01 01:02:03');
  assert.equal(render('{{ now | unixEpoch }}', { now }), '1704070923');
  assert.equal(render('{{ ago .FirstTimestamp }}', { now }), '1h2m3s');
  assert.equal(
    render('{{ date "2006" "not a time" }}', { now }),
    '2024',
    'non-times format now, as sprig does',
  );
});

test('uuidv4 has the v4 shape and differs each call', () => {
  const t = compileEventTemplate('{{ uuidv4 }}');
  const a = t.execute(event);
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(a, t.execute(event));
});

test('every function the spec names is available', () => {
  const names = new Set(templateFunctionNames());
  const spec =
    `and or not len index slice print printf println eq ne lt le gt ge html js urlquery call toJson toPrettyJson toRawJson fromJson
    lower upper title trim trimPrefix trimSuffix replace quote squote default empty coalesce ternary contains hasPrefix hasSuffix split
    splitList join list dict get hasKey keys values pick omit regexMatch regexFind regexReplaceAll regexReplaceAllLiteral substr trunc
    abbrev indent nindent repeat b64enc b64dec sha256sum int int64 float64 toString atoi add sub mul div mod max min now date dateInZone
    unixEpoch toDate dateModify duration ago htmlDate htmlDateInZone uuidv4 env expandenv`.split(/\s+/);
  assert.deepEqual(
    spec.filter((n) => !names.has(n)),
    [],
  );
});

test('an unknown function is a compile error', () => {
  assert.throws(() => compileEventTemplate('{{ nosuchfn .Name }}'), /function "nosuchfn" not defined/);
});

test('maps of the enricher work with the dict functions (lenient where sprig wants map[string]interface{})', () => {
  const e = enriched(
    { metadata: {}, involvedObject: {} },
    { object: { labels: { app: 'web' }, annotations: {}, ownerReferences: [], deleted: false } },
  );
  assert.equal(
    compileEventTemplate(
      '{{ hasKey .InvolvedObject.Labels "app" }} {{ get .InvolvedObject.Labels "app" }} {{ keys .InvolvedObject.Labels }}',
    ).execute(e),
    'true web [app]',
  );
});
