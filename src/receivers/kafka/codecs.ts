// Record batch compression. kafkajs compresses with gzip itself and looks every other codec up in
// its CompressionCodecs table, which is empty until someone registers one. We register snappy,
// lz4 and zstd from maintained packages that ship prebuilt binaries inside npm (no install
// script, no download), and load each package only when a batch is first compressed with it, so
// a router without such a receiver never loads them.
import kafkajs from 'kafkajs';
import type { CompressionTypes } from 'kafkajs';

import type { CompressionCodec } from './options.ts';

/** What kafkajs hands a codec to compress: its encoder, whose `buffer` holds the records. */
interface EncoderLike {
  readonly buffer: Buffer;
}

interface Codec {
  compress(encoder: EncoderLike): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

type Transform = (input: Buffer) => Promise<Buffer>;

/** A kafkajs codec whose functions load their package on first use. */
function lazyCodec(load: () => Promise<{ compress: Transform; decompress: Transform }>): () => Codec {
  let loaded: Promise<{ compress: Transform; decompress: Transform }> | undefined;
  const get = () => (loaded ??= load());
  const codec: Codec = {
    compress: async (encoder) => (await get()).compress(encoder.buffer),
    decompress: async (buffer) => (await get()).decompress(buffer),
  };
  return () => codec;
}

/**
 * snappy: raw snappy blocks, as librdkafka and sarama write them (Java brokers read both raw
 * and xerial-framed input).
 */
const snappyCodec = lazyCodec(async () => {
  const snappy = await import('snappy');
  return {
    compress: (input) => snappy.compress(input),
    decompress: async (input) => {
      const out = await snappy.uncompress(input);
      return typeof out === 'string' ? Buffer.from(out) : out;
    },
  };
});

/** lz4: the LZ4 frame format (Kafka's since message format v1). */
const lz4Codec = lazyCodec(async () => {
  const lz4 = await import('lz4-napi');
  return { compress: (input) => lz4.compressFrame(input), decompress: (input) => lz4.decompressFrame(input) };
});

/** zstd: a zstd frame (Kafka ≥ 2.1 brokers). */
const zstdCodec = lazyCodec(async () => {
  const zstd = await import('@mongodb-js/zstd');
  return { compress: (input) => zstd.compress(input), decompress: (input) => zstd.decompress(input) };
});

type PluggedType = CompressionTypes.Snappy | CompressionTypes.LZ4 | CompressionTypes.ZSTD;

const CODECS: Readonly<Record<'snappy' | 'lz4' | 'zstd', { type: PluggedType; codec: () => Codec }>> = {
  snappy: { type: kafkajs.CompressionTypes.Snappy, codec: snappyCodec },
  lz4: { type: kafkajs.CompressionTypes.LZ4, codec: lz4Codec },
  zstd: { type: kafkajs.CompressionTypes.ZSTD, codec: zstdCodec },
};

/**
 * The kafkajs compression type for a configured codec, registering the codec in kafkajs's table
 * first when kafkajs does not have it natively. Registration is global to kafkajs and idempotent.
 */
export function compressionType(codec: CompressionCodec): CompressionTypes {
  if (codec === 'none') return kafkajs.CompressionTypes.None;
  if (codec === 'gzip') return kafkajs.CompressionTypes.GZIP;
  const { type, codec: factory } = CODECS[codec];
  kafkajs.CompressionCodecs[type] = factory;
  return type;
}
