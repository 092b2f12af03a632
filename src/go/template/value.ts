// The values a template sees, modelled on the Go values text/template would see in the
// exporter, so printing, truthiness and comparison can follow Go exactly.
//
//   Go                         here
//   nil (interface, ptr, map)  null
//   invalid value / no value   undefined        (prints "<no value>")
//   string                     string
//   bool                       boolean
//   int, int32, int64          number while a safe integer, else bigint (../int64.ts: exact,
//                              wrapping as Go's int64 does)
//   float64                    GoFloat          (prints with strconv 'g' shortest)
//   []T, []interface{}         readonly GoValue[]
//   map[string]T               GoMap            (keys sorted when printed or ranged)
//   struct (the event view)    GoStruct         (fields by Go name, resolved at compile time)
//   time.Time / metav1.Time    GoTime
//   time.Duration              GoDuration
//   func value                 GoFuncValue      (for `call`)
//   nil *T (a typed nil)       GoNilPointer     (prints "<nil>", not "<no value>")

export class GoFloat {
  constructor(readonly value: number) {}
}

export class GoMap {
  constructor(
    readonly entries: Readonly<Record<string, GoValue>>,
    /**
     * The zero value of the map's element type, which `index` returns for a missing key:
     * null for map[string]interface{} (the default), '' for map[string]string.
     */
    readonly zero: GoValue = null,
  ) {}
  get(key: string): GoValue {
    return Object.hasOwn(this.entries, key) ? this.entries[key] : undefined;
  }
  has(key: string): boolean {
    return Object.hasOwn(this.entries, key);
  }
  sortedKeys(): string[] {
    return Object.keys(this.entries).sort();
  }
  get size(): number {
    return Object.keys(this.entries).length;
  }
}

/** A field of a Go struct type: how to read it from the backing JS value, and its static type. */
export interface FieldDef {
  readonly get: (source: unknown) => GoValue;
  /** Set when the field is itself a struct, so chains resolve at compile time. */
  readonly struct?: StructType;
  /**
   * Optional, for struct fields: the nested struct's backing source (null for a nil pointer)
   * without allocating a GoStruct, so `.A.B` compiles to one composed getter.
   */
  readonly sourceOf?: (source: unknown) => unknown;
}

export interface StructType {
  readonly name: string;
  readonly fields: ReadonlyMap<string, FieldDef>;
  /** The bytes Go's encoding/json writes for this struct (used by toJson and the default payload). */
  readonly toJson: (source: unknown, escapeHtml: boolean) => string;
}

export class GoStruct {
  constructor(
    readonly type: StructType,
    readonly source: unknown,
  ) {}
}

/** An instant with nanosecond precision and a fixed zone, as time.Time. */
export class GoTime {
  constructor(
    /** Milliseconds since the Unix epoch. */
    readonly epochMs: number,
    /** Nanoseconds within the millisecond (0–999999). */
    readonly extraNanos = 0,
    /** Offset from UTC in seconds, and the zone abbreviation Go prints. */
    readonly offsetSeconds = 0,
    readonly zoneName = 'UTC',
    /** True for Go's zero time (0001-01-01 00:00:00 UTC). */
    readonly isZero = false,
  ) {}
}

/**
 * A nil pointer of a named type (e.g. `*v1.EventSeries`): prints `<nil>` where a nil interface
 * prints `<no value>`, and `.Field` on it fails with Go's "nil pointer evaluating" error.
 */
export class GoNilPointer {
  constructor(readonly typeName: string) {}
}

export class GoDuration {
  constructor(readonly nanos: bigint) {}
}

export class GoFuncValue {
  constructor(readonly fn: TemplateFunction) {}
}

export type GoValue =
  | null
  | undefined
  | string
  | boolean
  | number
  | bigint
  | GoFloat
  | readonly GoValue[]
  | GoMap
  | GoStruct
  | GoTime
  | GoDuration
  | GoNilPointer
  | GoFuncValue;

/**
 * The Go type of a function parameter, which decides how text/template converts an argument:
 *   'any'     interface{}: a missing value arrives as null (the default)
 *   'value'   reflect.Value (Go's builtins): a missing value arrives as undefined
 *   'string' | 'int' | 'float64' | 'bool': checked as Go does ("wrong type for value; expected
 *             string; got int", "expected integer; found 1.5", "invalid value; expected string")
 *   'map' | 'list': map[string]interface{} / []interface{}: a GoMap / array, or null for a
 *             missing value or nil ("wrong type for value; expected map[string]interface {}; got int")
 */
export type GoParamType = 'any' | 'value' | 'string' | 'int' | 'float64' | 'bool' | 'map' | 'list';

/** The Go spelling of a parameter type, as errors print it. */
export const GO_PARAM_TYPE_NAMES: Readonly<Record<GoParamType, string>> = {
  any: 'interface {}',
  value: 'reflect.Value',
  string: 'string',
  int: 'int',
  float64: 'float64',
  bool: 'bool',
  map: 'map[string]interface {}',
  list: '[]interface {}',
};

/** A function in the template function table. Throwing is Go's (value, error) error return. */
export interface TemplateFunction {
  readonly call: (...args: GoValue[]) => GoValue;
  /** Fixed argument count, or the minimum when variadic. */
  readonly arity: number;
  readonly variadic?: boolean;
  /**
   * Parameter types: one per fixed parameter, then (when variadic) the element type of the
   * variadic parameter. Missing entries are 'any'.
   */
  readonly params?: readonly GoParamType[];
}

export type FunctionTable = ReadonlyMap<string, TemplateFunction>;
