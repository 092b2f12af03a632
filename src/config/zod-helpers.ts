// Schema building blocks shared by the top-level schema and the receiver schemas.
import { z } from 'zod';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// The exporter decodes YAML with Go's zero values: `layout:` with nothing after it (as in its
// README) means "not set". We keep that by dropping null entries before validation.
function dropNullEntries(value: unknown): unknown {
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null));
}

/** A map with exactly these keys (unknown keys rejected), where `key: null` means unset. */
export function options<Shape extends z.ZodRawShape>(shape: Shape) {
  return z.preprocess(dropNullEntries, z.strictObject(shape));
}

/** An optional option map whose absence means "all defaults". */
export function optionsWithDefaults<Shape extends z.ZodRawShape>(shape: Shape) {
  return options(shape).prefault({});
}

export const positiveInt = z.int().min(1);
export const nonNegativeInt = z.int().min(0);
export const stringMap = z.record(z.string(), z.string());

// Go's YAML decoder turns a number or boolean scalar into a string field ("X-API-KEY: 123").
/** A string that also accepts a number or boolean scalar, as the exporter does. */
export const goString = z.preprocess(
  (v) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v),
  z.string(),
);
