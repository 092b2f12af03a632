// Chat robots — options and descriptions of dingtalk (a DingTalk group robot, as kube-eventer's
// DingTalk sink: webhook URL with the access_token, optional signing secret, text or markdown,
// label lines, @mentions) and wechat (WeChat Work, as kube-eventer's WeChat sink: app messages
// with corpId / corpSecret / agentId, or a group robot's webhookUrl). Send: ./dingtalk.ts,
// ./wechat.ts (+ ./wechat-token.ts). Classifier: ./classify.ts (errcode tables below).
// Docs: docs/receivers/dingtalk.md, wechat.md.
import { z } from 'zod';
import { goString } from '../../config/zod-helpers.ts';
import { httpUrl, httpUrlWithParam, timeoutMs, tlsSchema, typeOptions } from '../common/options.ts';
import type { BatchPolicy, ReceiverSpec } from '../common/types.ts';
import type { ErrcodeTable } from './classify.ts';

// One message per event, as kube-eventer sends.
const ONE_MESSAGE: BatchPolicy = { maxEvents: 1, maxBytes: 1_048_576, flushIntervalMs: 0 };

export const DINGTALK_MSG_TYPES = ['text', 'markdown'] as const;
/** errcode "send too fast": over 20 messages a minute; DingTalk then throttles the robot. */
export const DINGTALK_RATE_LIMITED = 130101;
/** errcode -1: the service is busy. */
export const DINGTALK_BUSY = -1;
/** DingTalk's errcodes: 130101 retried a minute later (DingTalk throttles such a robot for minutes), -1 retried. */
export const DINGTALK_ERRCODES: ErrcodeTable = {
  service: 'DingTalk',
  retry: new Map([
    [DINGTALK_RATE_LIMITED, { reason: 'rateLimited', retryAfterMs: 60_000 }],
    [DINGTALK_BUSY, { reason: 'serverError' }],
  ]),
};

export const dingtalkSchema = typeOptions({
  // The message never repeats the value: the URL carries the access token.
  webhookUrl: httpUrlWithParam('access_token', 'must be an http(s) URL with an access_token parameter'),
  secret: goString.optional(),
  msgType: z.enum(DINGTALK_MSG_TYPES).default('text'),
  labels: z.array(goString).default([]),
  atMobiles: z.array(goString).default([]),
  atAll: z.boolean().default(false),
  title: z.string().min(1).default('Kubernetes Event'),
  tls: tlsSchema,
  timeoutMs: timeoutMs(10_000),
});
export type DingtalkOptions = z.output<typeof dingtalkSchema>;

export const dingtalkSpec: ReceiverSpec<DingtalkOptions> = {
  type: 'dingtalk',
  schema: dingtalkSchema,
  batchDefaults: ONE_MESSAGE,
  limits: { maxEvents: 1 },
  docs: 'docs/receivers/dingtalk.md',
  load: () => import('./dingtalk.ts').then((m) => m.create),
};

export const WECHAT_MSG_TYPES = ['text', 'markdown'] as const;
export const WECHAT_API_URL = 'https://qyapi.weixin.qq.com';
/** errcodes that mean "fetch a new access token": 40014 invalid, 42001 expired. */
export const WECHAT_TOKEN_ERRCODES: ReadonlySet<number> = new Set([40014, 42001]);
/** 45009 API frequency limit, 45033 too many concurrent calls, -1 busy. */
/** WeChat's errcodes: 45009 API frequency limit, 45033 too many concurrent calls, -1 busy. */
const WECHAT_RETRY = new Map([
  [45009, { reason: 'rateLimited' }],
  [45033, { reason: 'rateLimited' }],
  [-1, { reason: 'serverError' }],
] as const);
export const WECHAT_ERRCODES: ErrcodeTable = {
  service: 'WeChat',
  retry: WECHAT_RETRY,
  own: WECHAT_TOKEN_ERRCODES,
};
/** The gettoken call: the same busy codes; a wrong corpId or corpSecret (40001, 40013...) will not fix itself. */
export const WECHAT_GETTOKEN_ERRCODES: ErrcodeTable = { service: 'WeChat gettoken', retry: WECHAT_RETRY };

// WeChat caps text at 2,048 bytes and markdown at 4,096 (robots reject longer ones).
export const WECHAT_MAX_BYTES = { text: 2048, markdown: 4096 } as const;

export const wechatSchema = typeOptions({
  corpId: goString.optional(),
  corpSecret: goString.optional(),
  agentId: z
    .preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), z.int().min(0))
    .optional(),
  toUser: goString.default('@all'),
  toParty: goString.optional(),
  toTag: goString.optional(),
  apiUrl: httpUrl.default(WECHAT_API_URL),
  // The message never repeats the value: the URL carries the robot's key.
  webhookUrl: httpUrlWithParam('key', 'must be an http(s) URL with a key parameter').optional(),
  msgType: z.enum(WECHAT_MSG_TYPES).default('text'),
  labels: z.array(goString).default([]),
  /** Robot mode: user ids to mention (`@all` for everyone) and mobiles to mention. */
  mentionedList: z.array(goString).default([]),
  mentionedMobileList: z.array(goString).default([]),
  tls: tlsSchema,
  timeoutMs: timeoutMs(10_000),
}).superRefine((o, ctx) => {
  const app = o.corpId !== undefined || o.corpSecret !== undefined || o.agentId !== undefined;
  if (o.webhookUrl !== undefined && app) {
    ctx.addIssue({
      code: 'custom',
      path: ['webhookUrl'],
      message: 'use either webhookUrl (group robot) or corpId/corpSecret/agentId (app), not both',
    });
    return;
  }
  if (o.webhookUrl !== undefined) return;
  for (const key of ['corpId', 'corpSecret', 'agentId'] as const) {
    if (o[key] === undefined || o[key] === '')
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: 'is required (or set webhookUrl for a group robot)',
      });
  }
});
export type WechatOptions = z.output<typeof wechatSchema>;

export const wechatSpec: ReceiverSpec<WechatOptions> = {
  type: 'wechat',
  schema: wechatSchema,
  batchDefaults: ONE_MESSAGE,
  limits: { maxEvents: 1 },
  docs: 'docs/receivers/wechat.md',
  load: () => import('./wechat.ts').then((m) => m.create),
};
