// A Kafka broker double on the wire, for what the producer double (kafka-double.ts) cannot
// show: the bytes kafkajs really produces. No Kafka broker can run here, so this TCP server on
// 127.0.0.1 speaks the few requests of the Kafka protocol an idempotent kafkajs producer makes
// (ApiVersions v0-2, Metadata v1, InitProducerId v0, Produce v3), one partition per topic, and
// reads each produced record batch (magic 2) as a broker does: the codec from the batch
// attributes, the records section decompressed with that codec's package, then every record.
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { decompress as zstdDecompress } from '@mongodb-js/zstd';
import { decompressFrame as lz4Decompress } from 'lz4-napi';
import { uncompress as snappyUncompress } from 'snappy';

const API = { produce: 0, metadata: 3, apiVersions: 18, initProducerId: 22 } as const;
const SUPPORTED: readonly [number, number, number][] = [
  [API.produce, 3, 3],
  [API.metadata, 1, 1],
  [API.apiVersions, 0, 2],
  [API.initProducerId, 0, 0],
];

/** Record batch attribute bits 0-2 (Kafka protocol). */
export const CODEC_NAMES = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;

const DECOMPRESS: Readonly<Record<number, (input: Buffer) => Promise<Buffer>>> = {
  0: (input) => Promise.resolve(input),
  1: (input) => Promise.resolve(gunzipSync(input)),
  2: async (input) => {
    const out = await snappyUncompress(input);
    return typeof out === 'string' ? Buffer.from(out) : out;
  },
  3: (input) => lz4Decompress(input),
  4: (input) => zstdDecompress(input),
};

export interface ProducedRecord {
  readonly topic: string;
  readonly key: string | null;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export interface ProducedBatch {
  readonly topic: string;
  readonly codec: (typeof CODEC_NAMES)[number];
  /** The records section as it travelled (compressed when codec is not none). */
  readonly wire: Buffer;
  readonly uncompressedBytes: number;
  readonly producerId: bigint;
  readonly baseSequence: number;
  readonly records: ProducedRecord[];
}

/** Reads the Kafka protocol's big-endian fields and zigzag varints. */
class Reader {
  offset = 0;
  constructor(readonly buf: Buffer) {}
  int8 = () => this.step(1, this.buf.readInt8(this.offset));
  int16 = () => this.step(2, this.buf.readInt16BE(this.offset));
  int32 = () => this.step(4, this.buf.readInt32BE(this.offset));
  int64 = () => this.step(8, this.buf.readBigInt64BE(this.offset));
  bytes = (n: number) => this.step(n, this.buf.subarray(this.offset, this.offset + n));
  string = (): string | null => {
    const n = this.int16();
    return n < 0 ? null : this.bytes(n).toString('utf8');
  };
  varint = (): number => {
    let shift = 0n;
    let raw = 0n;
    for (;;) {
      const byte = BigInt(this.int8() & 0xff);
      raw |= (byte & 0x7fn) << shift;
      if ((byte & 0x80n) === 0n) break;
      shift += 7n;
    }
    return Number((raw >> 1n) ^ -(raw & 1n));
  };
  varbytes = (): Buffer | null => {
    const n = this.varint();
    return n < 0 ? null : this.bytes(n);
  };
  array = <T>(item: () => T): T[] => Array.from({ length: Math.max(this.int32(), 0) }, item);
  get done(): boolean {
    return this.offset >= this.buf.length;
  }
  private step<T>(n: number, value: T): T {
    this.offset += n;
    return value;
  }
}

/** Writes big-endian fields into one buffer. */
class Writer {
  private readonly parts: Buffer[] = [];
  private put(n: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(n);
    write(b);
    this.parts.push(b);
    return this;
  }
  int16 = (v: number) => this.put(2, (b) => b.writeInt16BE(v));
  int32 = (v: number) => this.put(4, (b) => b.writeInt32BE(v));
  int64 = (v: bigint) => this.put(8, (b) => b.writeBigInt64BE(v));
  bool = (v: boolean) => this.put(1, (b) => b.writeInt8(v ? 1 : 0));
  string = (v: string | null): this => {
    if (v === null) return this.int16(-1);
    const bytes = Buffer.from(v, 'utf8');
    this.int16(bytes.length);
    this.parts.push(bytes);
    return this;
  };
  array = <T>(items: readonly T[], each: (w: Writer, item: T) => void): this => {
    this.int32(items.length);
    for (const item of items) each(this, item);
    return this;
  };
  buffer = (): Buffer => Buffer.concat(this.parts);
}

function readRecord(r: Reader, topic: string): ProducedRecord {
  r.varint(); // length
  r.int8(); // attributes
  r.varint(); // timestamp delta
  r.varint(); // offset delta
  const key = r.varbytes();
  const value = r.varbytes();
  const headers: Record<string, string> = {};
  const count = r.varint();
  for (let i = 0; i < count; i++) {
    const name = (r.varbytes() ?? Buffer.alloc(0)).toString('utf8');
    headers[name] = (r.varbytes() ?? Buffer.alloc(0)).toString('utf8');
  }
  return { topic, key: key === null ? null : key.toString('utf8'), value: String(value), headers };
}

/** The record batches (magic 2) of one partition's record set. */
async function readRecordSet(topic: string, set: Buffer): Promise<ProducedBatch[]> {
  const batches: ProducedBatch[] = [];
  const r = new Reader(set);
  while (!r.done) {
    r.int64(); // base offset
    const length = r.int32();
    const end = r.offset + length;
    r.int32(); // partition leader epoch
    const magic = r.int8();
    if (magic !== 2) throw new Error(`record batch magic ${magic}, expected 2`);
    r.int32(); // crc
    const attributes = r.int16();
    r.int32(); // last offset delta
    r.int64(); // first timestamp
    r.int64(); // max timestamp
    const producerId = r.int64();
    r.int16(); // producer epoch
    const baseSequence = r.int32();
    const count = r.int32();
    const wire = r.bytes(end - r.offset);
    const codecId = attributes & 0x07;
    const decompress = DECOMPRESS[codecId];
    if (decompress === undefined) throw new Error(`unknown codec ${codecId}`);
    const plain = await decompress(wire);
    const records = new Reader(plain);
    batches.push({
      topic,
      codec: CODEC_NAMES[codecId] as ProducedBatch['codec'],
      wire,
      uncompressedBytes: plain.length,
      producerId,
      baseSequence,
      records: Array.from({ length: count }, () => readRecord(records, topic)),
    });
  }
  return batches;
}

export class KafkaBrokerDouble {
  readonly batches: ProducedBatch[] = [];
  readonly requests: string[] = [];
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();

  private constructor() {
    this.server = createServer((socket) => this.accept(socket));
  }

  static async start(): Promise<KafkaBrokerDouble> {
    const broker = new KafkaBrokerDouble();
    await new Promise<void>((resolve) => broker.server.listen(0, '127.0.0.1', resolve));
    return broker;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get records(): ProducedRecord[] {
    return this.batches.flatMap((b) => b.records);
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let pending = Buffer.alloc(0);
    let chain = Promise.resolve();
    socket.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const frame = pending.subarray(4, 4 + pending.readInt32BE(0));
        pending = pending.subarray(4 + frame.length);
        // Answers go out in request order, as a broker's do on one connection.
        chain = chain
          .then(() => this.answer(frame))
          .then((reply) => {
            if (reply !== undefined) socket.write(reply);
          })
          .catch(() => void socket.destroy());
      }
    });
  }

  private async answer(frame: Buffer): Promise<Buffer | undefined> {
    const r = new Reader(frame);
    const apiKey = r.int16();
    const version = r.int16();
    const correlationId = r.int32();
    r.string(); // client id
    this.requests.push(`${apiKey}v${version}`);
    const body = await this.body(apiKey, version, r);
    if (body === undefined) return undefined;
    const payload = Buffer.concat([new Writer().int32(correlationId).buffer(), body]);
    return Buffer.concat([new Writer().int32(payload.length).buffer(), payload]);
  }

  private async body(apiKey: number, version: number, r: Reader): Promise<Buffer | undefined> {
    const w = new Writer();
    switch (apiKey) {
      case API.apiVersions:
        w.int16(0).array(SUPPORTED, (x, [key, min, max]) => x.int16(key).int16(min).int16(max));
        return (version >= 1 ? w.int32(0) : w).buffer();
      case API.metadata: {
        const topics = r.array(() => r.string() ?? '');
        return w
          .array([0], (x) => x.int32(0).string('127.0.0.1').int32(this.port).string(null))
          .int32(0) // controller id
          .array(topics, (x, topic) =>
            x
              .int16(0)
              .string(topic)
              .bool(false)
              .array([0], (p) =>
                p
                  .int16(0)
                  .int32(0)
                  .int32(0)
                  .array([0], (q) => q.int32(0))
                  .array([0], (q) => q.int32(0)),
              ),
          )
          .buffer();
      }
      case API.initProducerId:
        return w.int32(0).int16(0).int64(4242n).int16(0).buffer();
      case API.produce:
        return this.produce(r, w);
      default:
        throw new Error(`unexpected api key ${apiKey}`);
    }
  }

  private async produce(r: Reader, w: Writer): Promise<Buffer | undefined> {
    r.string(); // transactional id
    const acks = r.int16();
    r.int32(); // timeout
    const answered: { topic: string; partitions: number[] }[] = [];
    const topicCount = r.int32();
    for (let t = 0; t < topicCount; t++) {
      const topic = r.string() ?? '';
      const partitions: number[] = [];
      const partitionCount = r.int32();
      for (let p = 0; p < partitionCount; p++) {
        partitions.push(r.int32());
        const set = r.bytes(r.int32());
        this.batches.push(...(await readRecordSet(topic, set)));
      }
      answered.push({ topic, partitions });
    }
    if (acks === 0) return undefined;
    return w
      .array(answered, (x, { topic, partitions }) =>
        x.string(topic).array(partitions, (p, partition) => p.int32(partition).int16(0).int64(0n).int64(-1n)),
      )
      .int32(0)
      .buffer();
  }
}
