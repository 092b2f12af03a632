// Validation of `receivers: [{ name, <type>: {...}, batch, queue, retry, deadLetter }]`:
// one type key per item, unique names, type options and output options with defaults.
import type { z } from 'zod';
import type { BatchPolicy, ReceiverSpec } from '../receivers/common/types.ts';
import type { TemplateSyntax } from '../receivers/common/options.ts';
import type { DeadLetterOptions, QueueOptions, RetryOptions, ThrottleOptions } from '../output/policy.ts';
import { COMMON_TYPE_OPTION_KEYS } from '../receivers/common/options.ts';
import {
  DEAD_LETTER_DEFAULTS,
  QUEUE_DEFAULTS,
  RECEIVER_SIBLING_KEYS,
  RETRY_DEFAULTS,
  batchSchema,
  deadLetterSchema,
  queueSchema,
  retrySchema,
  throttleSchema,
} from '../output/policy.ts';
import {
  EXPORTER_ONLY_RECEIVER_TYPES,
  SUPPORTED_RECEIVER_TYPES,
  receiverSpec,
} from '../receivers/registry.ts';
import { ignoredKeyMessage, unknownKeyMessage } from './hints.ts';
import { parseLenient } from './lenient-parse.ts';
import type { ConfigPath } from './problem.ts';
import { error, formatPath, warning } from './problem.ts';
import type { ConfigProblem } from './positions.ts';

export interface ValidatedReceiver {
  /** False when the type block or the output options had problems: only its layout is compiled (to report its problems too). */
  readonly valid: boolean;
  readonly index: number;
  readonly name: string;
  readonly type: string;
  readonly spec: ReceiverSpec;
  readonly options: Readonly<Record<string, unknown>>;
  readonly layout: unknown;
  readonly typedLayout: boolean;
  readonly templateSyntax: TemplateSyntax;
  /** The exporter's `deDot`, resolved from the type's options once, here. */
  readonly deDot: boolean;
  readonly batch: BatchPolicy;
  readonly queue: QueueOptions;
  readonly retry: RetryOptions;
  readonly deadLetter: DeadLetterOptions;
  /** Unset = no throttling. */
  readonly throttle?: ThrottleOptions;
}

export interface ReceiversResult {
  readonly receivers: ValidatedReceiver[];
  /** Every declared name, valid receiver or not, so routes to it are not reported twice. */
  readonly names: ReadonlySet<string>;
  readonly problems: ConfigProblem[];
}

const ALL_KEYS = [...RECEIVER_SIBLING_KEYS, ...SUPPORTED_RECEIVER_TYPES, ...EXPORTER_ONLY_RECEIVER_TYPES];
// Stands in for a type's defaults when the type is missing, so sibling typos are still found.
const FALLBACK_BATCH: BatchPolicy = { maxEvents: 1, maxBytes: 1, flushIntervalMs: 0 };

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Parse `input` with `schema`, adding problems (under `path`) on failure. */
function check<T>(
  schema: z.ZodType<T>,
  input: unknown,
  path: ConfigPath,
  problems: ConfigProblem[],
): T | undefined {
  const result = parseLenient(schema, input, path);
  problems.push(...result.problems);
  return result.data;
}

/** Sort the keys of one receiver item into its type keys and the keys that are not keys at all. */
function typeKeys(item: Record<string, unknown>, path: ConfigPath, problems: ConfigProblem[]) {
  const types: string[] = [];
  const unknown: string[] = [];
  for (const key of Object.keys(item)) {
    if ((RECEIVER_SIBLING_KEYS as readonly string[]).includes(key)) continue;
    if (SUPPORTED_RECEIVER_TYPES.includes(key)) types.push(key);
    else if (EXPORTER_ONLY_RECEIVER_TYPES.includes(key)) {
      types.push(key);
      problems.push({ ...error([...path, key], `receiver type "${key}" is not supported yet`), at: 'key' });
    } else unknown.push(key);
  }
  // With a type, the exporter skips the other keys; without one it refuses to start ("unknown sink").
  for (const key of unknown) {
    const problem =
      types.length > 0
        ? warning([...path, key], ignoredKeyMessage(key, ALL_KEYS))
        : error(
            [...path, key],
            `${unknownKeyMessage(key, ALL_KEYS)}, and the receiver has no type (the exporter refuses it too: "unknown sink")`,
          );
    problems.push({ ...problem, at: 'key' });
  }
  return { types, unknown: unknown.length };
}

function receiverName(
  item: Record<string, unknown>,
  path: ConfigPath,
  problems: ConfigProblem[],
): string | undefined {
  const name = item.name;
  if (typeof name === 'string' && name !== '') return name;
  const message = name === undefined || name === null || name === '' ? 'is required' : 'expected a string';
  problems.push(error([...path, 'name'], message));
  return undefined;
}

function checkType(
  name: string,
  types: readonly string[],
  unknownKeys: boolean,
  path: ConfigPath,
  problems: ConfigProblem[],
): void {
  if (types.length === 0 && !unknownKeys) {
    problems.push(
      error(path, `receiver "${name}" has no type (add one of ${SUPPORTED_RECEIVER_TYPES.join(', ')})`),
    );
  }
  if (types.length > 1) {
    const message = `receiver "${name}" has ${types.length} types (${types.join(', ')}); a receiver has exactly one`;
    problems.push({ ...error([...path, types[1] ?? ''], message), at: 'key' });
  }
}

// Checked on the given values, so a limit is reported even when another batch key is invalid.
function checkOutputLimits(
  spec: ReceiverSpec,
  batch: unknown,
  path: ConfigPath,
  problems: ConfigProblem[],
): void {
  if (!isMap(batch)) return;
  for (const key of ['maxEvents', 'maxBytes', 'flushIntervalMs'] as const) {
    const limit = spec.limits?.[key];
    const given = batch[key];
    if (limit !== undefined && typeof given === 'number' && given > limit) {
      problems.push(error([...path, 'batch', key], `${given} is above the ${spec.type} limit of ${limit}`));
    }
  }
}

interface OutputOptions {
  batch?: BatchPolicy;
  queue?: QueueOptions;
  retry?: RetryOptions;
  deadLetter?: DeadLetterOptions;
  throttle?: ThrottleOptions;
  throttleValid: boolean;
}

function outputOptions(
  item: Record<string, unknown>,
  spec: ReceiverSpec | undefined,
  path: ConfigPath,
  problems: ConfigProblem[],
): OutputOptions {
  const out: OutputOptions = {
    batch: check(
      batchSchema(spec?.batchDefaults ?? FALLBACK_BATCH),
      item.batch,
      [...path, 'batch'],
      problems,
    ),
    queue: check(queueSchema, item.queue, [...path, 'queue'], problems),
    retry: check(retrySchema, item.retry, [...path, 'retry'], problems),
    deadLetter: check(deadLetterSchema, item.deadLetter, [...path, 'deadLetter'], problems),
    throttleValid: true,
  };
  const throttleParsed = parseLenient(throttleSchema, item.throttle, [...path, 'throttle']);
  problems.push(...throttleParsed.problems);
  if (throttleParsed.problems.some((p) => p.severity === 'error')) out.throttleValid = false;
  else if (throttleParsed.data !== undefined) out.throttle = throttleParsed.data;
  if (spec) checkOutputLimits(spec, item.batch, path, problems);
  if (out.retry && out.retry.initialDelayMs > out.retry.maxDelayMs) {
    problems.push(error([...path, 'retry', 'initialDelayMs'], 'must not be above retry.maxDelayMs'));
  }
  return out;
}

// `layoutKey`: the type names its layout otherwise (eventbridge `details`); it is the layout.
function splitCommon(
  block: Record<string, unknown>,
  layoutKey: string | undefined,
): {
  common: Record<string, unknown>;
  own: Record<string, unknown>;
} {
  const common: Record<string, unknown> = {};
  const own: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(block)) {
    if (layoutKey !== undefined && key === 'layout') continue;
    if (key === layoutKey) common.layout = value;
    else (COMMON_TYPE_OPTION_KEYS.includes(key) ? common : own)[key] = value;
  }
  return { common, own };
}

function validateItem(
  item: unknown,
  index: number,
  names: Map<string, number>,
  problems: ConfigProblem[],
): ValidatedReceiver | undefined {
  const path: ConfigPath = ['receivers', index];
  if (!isMap(item)) {
    problems.push(error(path, 'expected a map with a name and a receiver type'));
    return undefined;
  }
  const name = receiverName(item, path, problems);
  const { types, unknown } = typeKeys(item, path, problems);
  if (name !== undefined) {
    const first = names.get(name);
    if (first === undefined) names.set(name, index);
    else
      problems.push(
        error(
          [...path, 'name'],
          `duplicate receiver name "${name}" (first at ${formatPath(['receivers', first])})`,
        ),
      );
    checkType(name, types, unknown > 0, path, problems);
  }
  const spec = types.length === 1 && types[0] !== undefined ? receiverSpec(types[0]) : undefined;
  const output = outputOptions(item, spec, path, problems);
  if (!spec || name === undefined) return undefined;
  const rawBlock = item[spec.type] ?? {};
  const block = check(spec.schema, rawBlock, [...path, spec.type], problems);
  const { common, own } = splitCommon(isMap(block) ? block : isMap(rawBlock) ? rawBlock : {}, spec.layoutKey);
  if (spec.layoutKey !== undefined && isMap(rawBlock) && rawBlock.layout !== undefined) {
    const message = `is ignored, as by kubernetes-event-exporter: ${spec.type} takes its layout from ${spec.layoutKey}; move it there`;
    problems.push({ ...warning([...path, spec.type, 'layout'], message), at: 'key' });
  }
  const { batch, queue, retry, deadLetter, throttle } = output;
  return {
    valid:
      isMap(block) &&
      batch !== undefined &&
      queue !== undefined &&
      retry !== undefined &&
      deadLetter !== undefined &&
      output.throttleValid,
    index,
    name,
    type: spec.type,
    spec,
    options: isMap(block) ? own : {},
    layout: common.layout,
    typedLayout: common.typedLayout === true,
    templateSyntax: common.templateSyntax === 'handlebars' ? 'handlebars' : 'go',
    deDot: isMap(block) ? (spec.deDot?.(own) ?? false) : false,
    batch: batch ?? spec.batchDefaults,
    queue: queue ?? QUEUE_DEFAULTS,
    retry: retry ?? RETRY_DEFAULTS,
    deadLetter: deadLetter ?? DEAD_LETTER_DEFAULTS,
    ...(throttle === undefined ? {} : { throttle }),
  };
}

export function validateReceivers(items: readonly unknown[]): ReceiversResult {
  const problems: ConfigProblem[] = [];
  const names = new Map<string, number>();
  const receivers = items.flatMap((item, index) => validateItem(item, index, names, problems) ?? []);
  return { receivers, names: new Set(names.keys()), problems };
}
