// slack — send: chat.postMessage through @slack/web-api, or a POST to the incoming webhook;
// each channel paced without holding the others; ./classify.ts classifies the answers.
import { LRUCache } from 'lru-cache';
import { LogLevel, WebClient } from '@slack/web-api';
import type { FetchFunction, Logger as SlackLogger } from '@slack/web-api';
import type { Logger } from 'pino';
import type { Clock } from '../../util/clock.ts';
import { CAPTURE_ANSWER } from '../common/capture.ts';
import type { RequestCapture } from '../common/capture.ts';
import { HttpClient } from '../common/http.ts';
import { redactSecrets, urlSecrets } from '../common/secrets.ts';
import type { BuildContext, Payload, Receiver, ReceiverFactory, SendResult } from '../common/types.ts';
import { SendError } from '../common/types.ts';
import { SLACK_AUTH_ERRORS, classifyWebClientError } from './classify.ts';
import { buildMessage } from './message.ts';
import type { SlackOptions } from './options.ts';
import type { SlackMessage } from './message.ts';

const MAX_PACED_CHANNELS = 10_000;

/** WebClient's log lines go to ours at debug level, scrubbed: the output logs every failure itself. */
function slackLogger(logger: Logger, secrets: readonly string[]): SlackLogger {
  const line = (...msg: unknown[]): void =>
    logger.debug({ slackClient: redactSecrets(msg.map(String).join(' '), secrets) }, 'Slack client.');
  return {
    debug: line,
    info: line,
    warn: line,
    error: line,
    setLevel: () => undefined,
    getLevel: () => LogLevel.DEBUG,
    setName: () => undefined,
  };
}

/** Combines per-message results of a batch (one message per request) into one SendResult. */
export function combine(results: readonly SendResult[]): SendResult {
  if (results.length === 1) return results[0] as SendResult;
  if (results.every((r) => r.kind === 'ok')) return { kind: 'ok' };
  const retry: number[] = [];
  const drop: { index: number; error: Error; reason?: (SendResult & { kind: 'drop' })['reason'] }[] = [];
  let retryAfterMs: number | undefined;
  let reason: (SendResult & { kind: 'retry' })['reason'] | undefined;
  results.forEach((r, index) => {
    if (r.kind === 'retry') {
      retry.push(index);
      reason ??= r.reason;
      if (r.retryAfterMs !== undefined) retryAfterMs = Math.max(retryAfterMs ?? 0, r.retryAfterMs);
    } else if (r.kind === 'drop') drop.push({ index, error: r.error, reason: r.reason });
  });
  return {
    kind: 'partial',
    retry,
    drop,
    ...(reason === undefined ? {} : { reason }),
    ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
  };
}

class SlackReceiver implements Receiver {
  private readonly secrets: string[];
  private readonly client: WebClient | undefined;
  private readonly hook: HttpClient | undefined;
  private readonly clock: Clock;
  private readonly capture: RequestCapture | undefined;
  private readonly logger: Logger;
  private readonly nextAtMs = new LRUCache<string, number>({ max: MAX_PACED_CHANNELS });
  private readonly loudlyLogged = new Set<string>();
  private requestSignal: AbortSignal | undefined;
  private timedOut = false;

  constructor(
    readonly name: string,
    private readonly options: SlackOptions,
    ctx: BuildContext,
  ) {
    this.clock = ctx.clock;
    this.capture = ctx.capture;
    this.logger = ctx.logger;
    const hookUrl = options.webhookUrl;
    this.secrets = [
      ...(options.token === undefined ? [] : [options.token]),
      ...(hookUrl === undefined ? [] : [hookUrl, new URL(hookUrl).pathname, ...urlSecrets(hookUrl)]),
      ...urlSecrets(options.apiUrl),
    ];
    if (hookUrl !== undefined) {
      this.hook = new HttpClient({
        tls: undefined,
        timeoutMs: options.timeoutMs,
        clock: ctx.clock,
        secrets: this.secrets,
        capture: ctx.capture,
      });
      return;
    }
    const apiUrl = options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`;
    this.client = new WebClient(options.token, {
      slackApiUrl: apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      logger: slackLogger(ctx.logger, this.secrets),
      fetch: this.fetchWithSignal,
      allowAbsoluteUrls: false,
    });
  }

  // Our signal (drain deadline) and our timeout on every request the client makes.
  private readonly fetchWithSignal: FetchFunction = async (url, init) => {
    if (this.capture !== undefined) return this.captured(url, init);
    const response = await fetch(url, {
      ...init,
      ...(this.requestSignal === undefined ? {} : { signal: this.requestSignal }),
    });
    return response as Awaited<ReturnType<FetchFunction>>;
  };

  /** `render`/`--dry-run`: the request the Slack client built (form body, bearer token), recorded, answered `ok`. */
  private captured(
    url: Parameters<FetchFunction>[0],
    init: Parameters<FetchFunction>[1],
  ): ReturnType<FetchFunction> {
    const headers = Object.fromEntries(
      new Headers(init?.headers as ConstructorParameters<typeof Headers>[0]).entries(),
    );
    const body = init?.body;
    (this.capture as RequestCapture).record(
      {
        method: init?.method ?? 'GET',
        url: String(url),
        headers,
        body: typeof body === 'string' ? body : body instanceof URLSearchParams ? body.toString() : '',
      },
      this.secrets,
    );
    const answer = new Response(CAPTURE_ANSWER.text, {
      status: CAPTURE_ANSWER.status,
      headers: { 'content-type': 'application/json' },
    });
    return Promise.resolve(answer as Awaited<ReturnType<FetchFunction>>);
  }

  async send(batch: readonly Payload[], signal: AbortSignal): Promise<SendResult> {
    const results: SendResult[] = [];
    for (const payload of batch) results.push(await this.sendOne(payload, signal));
    return combine(results);
  }

  private async sendOne(payload: Payload, signal: AbortSignal): Promise<SendResult> {
    const message = buildMessage(this.options, payload);
    const paced = this.pace(message.channel ?? '');
    if (paced !== undefined) return paced;
    const result =
      this.hook !== undefined
        ? await this.postWebhook(this.hook, message, signal)
        : await this.postMessage(message, signal);
    if (result.kind === 'retry' && result.retryAfterMs !== undefined) {
      this.nextAtMs.set(message.channel ?? '', this.clock.now() + result.retryAfterMs);
    }
    if (result.kind === 'drop') this.logAuthOnce(result.error.message);
    return result;
  }

  /** A retry when the channel had a message less than channelIntervalMs ago; else books the slot. */
  private pace(channel: string): SendResult | undefined {
    const intervalMs = this.options.channelIntervalMs;
    if (intervalMs === 0) return undefined;
    const now = this.clock.now();
    const nextAt = this.nextAtMs.get(channel) ?? 0;
    if (now < nextAt) {
      const error = new SendError(
        `Slack: pacing channel ${channel || '(webhook)'} to one message per ${intervalMs} ms`,
      );
      return { kind: 'retry', reason: 'rateLimited', error, retryAfterMs: nextAt - now };
    }
    this.nextAtMs.set(channel, now + intervalMs);
    return undefined;
  }

  private async postMessage(message: SlackMessage, signal: AbortSignal): Promise<SendResult> {
    const client = this.client as WebClient;
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    this.timedOut = false;
    // Real time on purpose: a hung socket is a wall-clock matter.
    const timer = setTimeout(() => {
      this.timedOut = true;
      controller.abort(new Error('timeout'));
    }, this.options.timeoutMs);
    timer.unref();
    this.requestSignal = controller.signal;
    try {
      if (signal.aborted) controller.abort(signal.reason);
      await client.apiCall('chat.postMessage', { ...message });
      return { kind: 'ok' };
    } catch (err) {
      return classifyWebClientError(err, this.timedOut && !signal.aborted, this.clock.now(), this.secrets);
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      this.requestSignal = undefined;
    }
  }

  private async postWebhook(
    hook: HttpClient,
    message: SlackMessage,
    signal: AbortSignal,
  ): Promise<SendResult> {
    const url = this.options.webhookUrl as string;
    const result = await hook.send(
      { url, method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(message) },
      signal,
    );
    if (result.kind !== 'retry' && result.kind !== 'drop') return result;
    return {
      ...result,
      error: new SendError(`Slack webhook: ${result.error.message}`, (result.error as SendError).status),
    };
  }

  /** A refused token or webhook is a config problem, not an event problem: said loudly, once per code. */
  private logAuthOnce(message: string): void {
    const code = [...SLACK_AUTH_ERRORS, 'no_service', 'action_prohibited', 'no_team'].find((c) =>
      message.includes(c),
    );
    if (code === undefined || this.loudlyLogged.has(code)) return;
    this.loudlyLogged.add(code);
    this.logger.error(
      { error: code },
      "Slack refused this receiver's credentials; every message is dead-lettered until the token or webhook URL is fixed (logged once).",
    );
  }

  close(): Promise<void> {
    return this.hook?.close() ?? Promise.resolve();
  }
}

export const create: ReceiverFactory<SlackOptions> = (name, opts, ctx) => new SlackReceiver(name, opts, ctx);
