// kafka — options and description (kafkajs): the exporter's options (topic, brokers, clientId,
// compressionCodec, tls, sasl, layout; `version` accepted and ignored), the topic and key
// templated. Send: ./send.ts (./client.ts makes the producer). Classifier: ./classify.ts.
// Doc: docs/receivers/kafka.md.
import { z } from 'zod';
import { goString, options } from '../../config/zod-helpers.ts';
import { timeoutMs, typeOptions } from '../common/options.ts';
import type { ReceiverSpec } from '../common/types.ts';

export const SASL_MECHANISMS = { plain: 'plain', sha256: 'scram-sha-256', sha512: 'scram-sha-512' } as const;
export type SaslMechanism = keyof typeof SASL_MECHANISMS;

export const COMPRESSION_CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type CompressionCodec = (typeof COMPRESSION_CODECS)[number];

const kafkaTlsSchema = options({
  enable: z.boolean().default(false),
  insecureSkipVerify: z.boolean().default(false),
  caFile: z.string().optional(),
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
})
  .superRefine((tls, ctx) => {
    if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
      const [missing, given] = tls.certFile ? ['keyFile', 'certFile'] : ['certFile', 'keyFile'];
      ctx.addIssue({
        code: 'custom',
        path: [missing as string],
        message: `is required when ${given} is set`,
      });
    }
  })
  .prefault({});

const kafkaSaslSchema = options({
  enable: z.boolean().default(false),
  username: goString.optional(),
  password: goString.optional(),
  mechanism: z.enum(Object.keys(SASL_MECHANISMS) as [keyof typeof SASL_MECHANISMS]).default('plain'),
})
  .superRefine((sasl, ctx) => {
    if (!sasl.enable) return;
    for (const key of ['username', 'password'] as const) {
      if (!sasl[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'is required when sasl.enable is true' });
    }
  })
  .prefault({});

export const kafkaSchema = typeOptions({
  /** A template: messages are grouped by the topic rendered for each event. */
  topic: goString.pipe(z.string().min(1)),
  brokers: z.array(z.string().min(1)).min(1),
  clientId: z.string().min(1).default('kube-event-router'),
  /** A template for the record key; default the event uid (as the exporter), so an event's occurrences keep one partition. */
  key: goString.default('{{ .UID }}'),
  compressionCodec: z.enum(COMPRESSION_CODECS).default('none'),
  /** The exporter's sarama protocol version: accepted for compatibility, ignored (kafkajs negotiates). */
  version: goString.optional(),
  tls: kafkaTlsSchema,
  sasl: kafkaSaslSchema,
  timeoutMs: timeoutMs(30_000),
  /** Exporter option, accepted so its configs load; no effect (routes choose occurrences: `repeats`). */
  sentUpdateEvent: z.boolean().optional(),
});
export type KafkaOptions = z.output<typeof kafkaSchema>;

export const kafkaSpec: ReceiverSpec<KafkaOptions> = {
  type: 'kafka',
  schema: kafkaSchema,
  // Under the broker's default message.max.bytes (1 MB) for a whole record batch.
  batchDefaults: { maxEvents: 500, maxBytes: 900_000, flushIntervalMs: 0 },
  templatedOptions: (opts) => [
    { path: ['topic'], source: opts.topic },
    { path: ['key'], source: opts.key },
  ],
  docs: 'docs/receivers/kafka.md',
  load: () => import('./send.ts').then((m) => m.create),
};
