// The compiler beyond Go's own behaviour: static field resolution on a known dot type, the
// single-action fast path, function parameter typing, and the value-model extensions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileGoTemplate } from '../../src/go/template/compile.ts';
import { TemplateExecError, TemplateSyntaxError } from '../../src/go/template/errors.ts';
import { GoFloat, GoMap, GoNilPointer, GoStruct, GoTime } from '../../src/go/template/value.ts';
import type {
  FieldDef,
  FunctionTable,
  GoValue,
  StructType,
  TemplateFunction,
} from '../../src/go/template/value.ts';

interface Obj {
  name: string;
  labels: Record<string, string>;
}
interface Ev {
  reason: string;
  count: number;
  obj: Obj;
  series: { count: number } | null;
}

const field = (get: (s: unknown) => GoValue, extra: Partial<FieldDef> = {}): FieldDef => ({ get, ...extra });
const struct = (name: string, fields: [string, FieldDef][]): StructType => ({
  name,
  fields: new Map(fields),
  toJson: () => '{}',
});

const SERIES = struct('EventSeries', [['Count', field((s) => (s as { count: number }).count)]]);
const OBJ = struct('ObjectReference', [
  ['Name', field((s) => (s as Obj).name)],
  ['Labels', field((s) => new GoMap((s as Obj).labels, ''))],
]);
const EVENT = struct('Event', [
  ['Reason', field((s) => (s as Ev).reason)],
  ['Count', field((s) => (s as Ev).count)],
  [
    'InvolvedObject',
    field((s) => new GoStruct(OBJ, (s as Ev).obj), { struct: OBJ, sourceOf: (s) => (s as Ev).obj }),
  ],
  [
    'Series',
    field(
      (s) =>
        (s as Ev).series === null
          ? new GoNilPointer('*v1.EventSeries')
          : new GoStruct(SERIES, (s as Ev).series),
      {
        struct: SERIES,
        sourceOf: (s) => (s as Ev).series,
      },
    ),
  ],
]);

const ev: Ev = { reason: 'BackOff', count: 3, obj: { name: 'web-1', labels: { app: 'web' } }, series: null };
const dot = new GoStruct(EVENT, ev);
const compile = (
  source: string,
  functions: FunctionTable = new Map(),
): ReturnType<typeof compileGoTemplate> =>
  compileGoTemplate(source, { name: 'layout', functions, dotType: EVENT });

test('field chains on a typed dot resolve at compile time', () => {
  assert.equal(
    compile('{{ .Reason }}/{{ .InvolvedObject.Name }}/{{ .InvolvedObject.Labels.app }}/{{ .Count }}').execute(
      dot,
    ),
    'BackOff/web-1/web/3',
  );
  assert.equal(compile('{{ with .InvolvedObject }}{{ .Name }}{{ end }}').execute(dot), 'web-1');
  assert.equal(
    compile('{{ $.InvolvedObject.Name }}{{ range .InvolvedObject.Labels }}{{ . }}{{ end }}').execute(dot),
    'web-1web',
  );
});

test('an unknown field of a known type is a compile error with the nearest name', () => {
  const cases: [string, string, number][] = [
    ['{{ .Reasn }}', 'field "Reasn" not found in type Event; did you mean "Reason"?', 4],
    [
      'x {{ .InvolvedObject.Nmae }}',
      'field "Nmae" not found in type ObjectReference; did you mean "Name"?',
      21,
    ],
    ['{{ .Zzzzzzzz }}', 'field "Zzzzzzzz" not found in type Event', 4],
    [
      '{{ with .InvolvedObject }}{{ .Reason }}{{ end }}',
      'field "Reason" not found in type ObjectReference',
      30,
    ],
    [
      '{{ range .InvolvedObject.Labels }}{{ $.InvolvedObject.Nam }}{{ end }}',
      'field "Nam" not found in type ObjectReference; did you mean "Name"?',
      54,
    ],
  ];
  for (const [source, detail, column] of cases) {
    assert.throws(
      () => compile(source),
      (e: unknown) => {
        assert.ok(e instanceof TemplateSyntaxError);
        assert.equal(e.detail, detail);
        assert.equal(e.column, column);
        return true;
      },
      source,
    );
  }
});

test('inside range the dot is untyped and fields resolve at run time', () => {
  const p = compile('{{ range $k, $v := .InvolvedObject.Labels }}{{ $k }}={{ $v }}{{ end }}');
  assert.equal(p.execute(dot), 'app=web');
});

test('a nil pointer field prints <nil> and fails on field access like Go', () => {
  assert.equal(
    compile('{{ .Series }}|{{ if .Series }}y{{ else }}n{{ end }}|{{ print .Series }}').execute(dot),
    '<nil>|n|<nil>',
  );
  assert.throws(
    () => compile('{{ .Series.Count }}').execute(dot),
    (e: unknown) => {
      assert.ok(e instanceof TemplateExecError);
      assert.equal(e.code, 'E_TEMPLATE_EXEC');
      assert.equal(
        e.message,
        'template: layout:1:10: executing "layout" at <.Series.Count>: nil pointer evaluating *EventSeries.Count',
      );
      return true;
    },
  );
  const withSeries = new GoStruct(EVENT, { ...ev, series: { count: 7 } });
  assert.equal(compile('{{ .Series.Count }}').execute(withSeries), '7');
});

test('index of a map[string]string with a missing key gives the element zero value', () => {
  assert.equal(
    compile('[{{ index .InvolvedObject.Labels "nope" }}][{{ .InvolvedObject.Labels.nope }}]').execute(dot),
    '[][<no value>]',
  );
});

test('singleAction is present only for exactly one action, and returns the native value', () => {
  assert.equal(compile('{{ .Count }}').singleAction?.(dot), 3);
  assert.ok(compile('{{ .InvolvedObject.Labels }}').singleAction?.(dot) instanceof GoMap);
  assert.equal(compile(' {{ .Count }}').singleAction, undefined);
  assert.equal(compile('{{ .Count }}{{ .Reason }}').singleAction, undefined);
  assert.equal(compile('{{ $x := .Count }}').singleAction, undefined);
  assert.equal(compile('{{ if .Count }}x{{ end }}').singleAction, undefined);
});

test('function parameters convert like Go: typed params reject wrong types, interface params get nil', () => {
  const seen: GoValue[] = [];
  const functions: FunctionTable = new Map<string, TemplateFunction>([
    ['rep', { call: (n, s) => (s as string).repeat(n as number), arity: 2, params: ['int', 'string'] }],
    ['half', { call: (f) => new GoFloat((f as GoFloat).value / 2), arity: 1, params: ['float64'] }],
    ['see', { call: (...a) => (seen.push(...a), 'ok'), arity: 0, variadic: true }],
  ]);
  const run = (s: string): string => compile(s, functions).execute(dot);
  assert.equal(run('{{ rep 2 "ab" }}|{{ .Reason | rep 2 }}|{{ half 3 }}'), 'abab|BackOffBackOff|1.5');
  assert.equal(run('{{ see .InvolvedObject.Labels.nope 1 }}'), 'ok');
  assert.deepEqual(seen, [null, 1]);
  const failures: [string, string][] = [
    ['{{ rep 1.5 "a" }}', 'expected integer; found 1.5'],
    ['{{ rep 1 2 }}', 'expected string; found 2'],
    ['{{ rep .Reason "a" }}', 'wrong type for value; expected int; got string'],
    ['{{ rep 1 .InvolvedObject.Labels.nope }}', 'invalid value; expected string'],
    ['{{ half .Count }}', 'wrong type for value; expected float64; got int'],
    ['{{ rep 1 }}', 'wrong number of args for rep: want 2 got 1'],
  ];
  for (const [source, detail] of failures) {
    assert.throws(
      () => run(source),
      (e: unknown) => e instanceof TemplateExecError && e.detail === detail,
      source,
    );
  }
});

test('map and list parameters check like Go (nil and missing pass as nil)', () => {
  const functions: FunctionTable = new Map<string, TemplateFunction>([
    [
      'keys',
      {
        call: (...ms) => ms.flatMap((m) => (m instanceof GoMap ? m.sortedKeys() : [])),
        arity: 0,
        variadic: true,
        params: ['map'],
      },
    ],
    ['first', { call: (l) => (Array.isArray(l) ? (l[0] as GoValue) : 'nil'), arity: 1, params: ['list'] }],
  ]);
  const run = (s: string): string =>
    compileGoTemplate(s, { name: 't', functions }).execute(
      new GoMap({ M: new GoMap({ b: 1, a: 2 }), L: ['x'], N: 1 }),
    );
  assert.equal(
    run('{{ keys .M }}|{{ keys .Missing }}|{{ keys nil }}|{{ first .L }}|{{ first .Missing }}'),
    '[a b]|[]|[]|x|nil',
  );
  const failures: [string, string][] = [
    [
      '{{ keys .L }}',
      'template: t:1:8: executing "t" at <.L>: wrong type for value; expected map[string]interface {}; got []interface {}',
    ],
    [
      '{{ keys "x" }}',
      'template: t:1:8: executing "t" at <"x">: can\'t handle "x" for arg of type map[string]interface {}',
    ],
    [
      '{{ first .N }}',
      'template: t:1:9: executing "t" at <.N>: wrong type for value; expected []interface {}; got int',
    ],
  ];
  for (const [source, message] of failures) assert.throws(() => run(source), { message }, source);
});

test('a function that throws is reported as Go reports an error return', () => {
  const functions: FunctionTable = new Map([
    [
      'boom',
      {
        call: (): GoValue => {
          throw new Error('bad input');
        },
        arity: 0,
      },
    ],
  ]);
  assert.throws(() => compile('{{ boom }}', functions).execute(dot), {
    message: 'template: layout:1:3: executing "layout" at <boom>: error calling boom: bad input',
  });
});

test('user functions replace builtins of the same name (and lose the short-circuit)', () => {
  const functions: FunctionTable = new Map([['len', { call: () => 'mine', arity: 1 }]]);
  assert.equal(compile('{{ len .Reason }}', functions).execute(dot), 'mine');
  assert.throws(
    () => compile('{{ nope }}'),
    (e: unknown) => e instanceof TemplateSyntaxError && e.detail === 'function "nope" not defined',
  );
});

test('times print as Go time.Time.String()', () => {
  const p = compileGoTemplate('{{ . }}', { functions: new Map() });
  assert.equal(p.execute(new GoTime(Date.UTC(2019, 10, 21, 18, 25, 7))), '2019-11-21 18:25:07 +0000 UTC');
  assert.equal(
    p.execute(new GoTime(Date.UTC(2019, 10, 21, 18, 25, 7, 120), 500)),
    '2019-11-21 18:25:07.1200005 +0000 UTC',
  );
  assert.equal(p.execute(new GoTime(0, 0, 0, 'UTC', true)), '0001-01-01 00:00:00 +0000 UTC');
});

test('deep template recursion fails cleanly instead of overflowing the stack', () => {
  const p = compileGoTemplate('{{ define "r" }}{{ template "r" . }}{{ end }}{{ template "r" . }}', {
    name: 't',
    functions: new Map(),
  });
  assert.throws(
    () => p.execute(null),
    (e: unknown) => e instanceof TemplateExecError && /exceeded maximum template depth/.test(e.message),
  );
});

test('a program runs many times with independent variables', () => {
  const p = compileGoTemplate('{{ $n := 0 }}{{ range . }}{{ $n = . }}{{ end }}{{ $n }}', {
    functions: new Map(),
  });
  assert.equal(p.execute([1, 2, 3]), '3');
  assert.equal(p.execute([]), '0');
});
