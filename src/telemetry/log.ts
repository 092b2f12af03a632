// The router's logger: pino JSON lines (or pino-pretty when `logFormat: pretty`) with secrets
// redacted at any depth. Messages are sentences: capitalised, ending with a period (CONTRIBUTING.md);
// context goes in fields (`receiver`, `route`, `err`), never spliced into the message.
import { pino } from 'pino';
import type {
  Bindings,
  ChildLoggerOptions,
  DestinationStream,
  Level,
  Logger,
  LoggerOptions as PinoOptions,
} from 'pino';
import pretty from 'pino-pretty';
import type { LogFormat, LogLevel } from '../config/schema.ts';
import { REDACTED, redactDeep, redactText } from './redact.ts';

export type { Logger } from 'pino';
export { REDACTED, isSecretKey, redactDeep, redactText, redactUrl } from './redact.ts';

export interface LoggerOptions {
  /** The config's `logLevel`; `panic` (the exporter's) logs as pino's `fatal`. `silent` logs nothing. */
  readonly level: LogLevel | 'silent';
  readonly format: LogFormat;
  /**
   * Where lines go; standard error by default, so standard output carries only what the
   * `stdout` receiver writes. Tests pass a stream that collects them.
   */
  readonly destination?: DestinationStream | NodeJS.WritableStream;
  /** Fields on every line; pino's default (`pid`, `hostname`) when unset. */
  readonly base?: Readonly<Record<string, unknown>> | null;
  /** Keep the stack traces of logged errors (`run --debug`); without it they are left out. */
  readonly stacks?: boolean;
}

/** A logged error's fields without its stack (and its causes' stacks): one clear line, no trace. */
function withoutStacks(value: unknown, depth = 0): unknown {
  if (depth > 4 || typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((v: unknown) => withoutStacks(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (key !== 'stack') out[key] = withoutStacks(v, depth + 1);
  return out;
}

/**
 * The fast path for the usual shapes (`{ token }`, `{ receiver: { headers: {...} } }`); the log
 * formatter below catches the rest at any depth.
 */
export const REDACT_PATHS: readonly string[] = [
  'token',
  'apiKey',
  'password',
  'secret',
  'authorization',
  'headers.*',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.authorization',
  '*.headers.*',
  'req.headers.authorization',
  'req.headers.cookie',
];

function pinoLevel(level: LoggerOptions['level']): Level | 'silent' {
  return level === 'panic' ? 'fatal' : level;
}

function pinoOptions(options: LoggerOptions): PinoOptions {
  const opts: PinoOptions = {
    level: pinoLevel(options.level),
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...REDACT_PATHS], censor: REDACTED },
    serializers: {
      // `formatters.log` has already turned errors into redacted plain objects; pino's own
      // error serializer would rename their type to "Object".
      err: (err: unknown) => (err instanceof Error ? redactDeep(err) : err),
      // The message itself may quote a URL.
      msg: (msg: unknown) => (typeof msg === 'string' ? redactText(msg) : msg),
    },
    formatters: {
      level: (label) => ({ level: label }),
      bindings: (bindings) => redactDeep(bindings) as Record<string, unknown>,
      log: (object) => {
        const redacted = redactDeep(object) as Record<string, unknown>;
        return options.stacks === true ? redacted : (withoutStacks(redacted) as Record<string, unknown>);
      },
    },
  };
  if (options.base !== undefined) opts.base = options.base === null ? null : { ...options.base };
  return opts;
}

// pino applies `formatters.bindings` to the root logger's bindings only: a child's bindings
// (`logger.child({ receiver: options })`) are redacted here. Children inherit this method.
function redactChildBindings(logger: Logger): Logger {
  const child = logger.child;
  const redacting = function (this: Logger, bindings: Bindings, childOptions?: ChildLoggerOptions) {
    return Reflect.apply(child, this, [redactDeep(bindings), childOptions]) as Logger;
  };
  logger.child = redacting as unknown as Logger['child'];
  return logger;
}

/** A pino logger for `logLevel` / `logFormat`, redacting secrets everywhere. */
export function createLogger(options: LoggerOptions): Logger {
  return redactChildBindings(createPino(options));
}

function createPino(options: LoggerOptions): Logger {
  const opts = pinoOptions(options);
  if (options.format === 'pretty') {
    // In-thread (not a transport worker) so lines are written in order and before exit.
    const stream = pretty({
      destination: options.destination ?? 2,
      sync: true,
      colorize: options.destination === undefined && process.stderr.isTTY === true,
      translateTime: 'SYS:standard',
      ignore: 'pid,hostname',
    });
    return pino(opts, stream);
  }
  const destination = options.destination ?? pino.destination({ dest: 2, sync: false });
  return pino(opts, destination);
}
