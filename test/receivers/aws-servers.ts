// Local stand-ins for AWS services on 127.0.0.1: kinesalite (a real Kinesis implementation, run
// as a child process) and a node:http server speaking the AWS JSON protocols (X-Amz-Target,
// `__type` errors) and the query protocol (form posts, XML answers); Kinesis' and Firehose's
// answers are here (base64 Data, per-record ErrorCode), the other services' in aws/*.ts.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import {
  CreateStreamCommand,
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Test credentials for the default provider chain (env). Fake, but treated as secrets. */
export const AWS_TEST_CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAKERTEST7EXAMPLE1',
  AWS_SECRET_ACCESS_KEY: 'kerTestSecret/K7MDENG/bPxRfiCYEXAMPLEKEY',
  AWS_SESSION_TOKEN: 'kerTestSessionToken-FwoGZXIvYXdzEXAMPLE',
} as const;

/** Puts the test credentials into process.env (where the SDK's default chain reads them). */
export function useTestCredentials(): void {
  Object.assign(process.env, AWS_TEST_CREDENTIALS, { AWS_REGION: 'us-east-1' });
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StoredRecord {
  readonly shardId: string;
  readonly partitionKey: string;
  readonly data: string;
  readonly sequenceNumber: string;
}

/** kinesalite in a child process on a port chosen at run time; streams are ACTIVE at once. */
export class Kinesalite {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
    readonly client: KinesisClient,
  ) {}

  static async start(): Promise<Kinesalite> {
    // The CLI treats `--port 0` as its default 4567, so listen from a script instead.
    const script =
      "const s=require('kinesalite')({createStreamMs:0,deleteStreamMs:0,updateStreamMs:0}).listen(0,'127.0.0.1',()=>console.log('PORT '+s.address().port))";
    const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve, reject) => {
      let out = '';
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /PORT (\d+)/.exec(out);
        if (m) resolve(Number(m[1]));
      });
      child.once('exit', (code) => reject(new Error(`kinesalite exited with ${code}`)));
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const client = new KinesisClient({
      region: 'us-east-1',
      endpoint,
      requestHandler: new NodeHttpHandler(),
      maxAttempts: 1,
      credentials: { accessKeyId: 'AKIAADMIN', secretAccessKey: 'admin' },
    });
    return new Kinesalite(child, endpoint, client);
  }

  async createStream(name: string, shards: number): Promise<string[]> {
    await this.client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
    for (;;) {
      const d = await this.client.send(new DescribeStreamCommand({ StreamName: name }));
      if (d.StreamDescription?.StreamStatus === 'ACTIVE')
        return (d.StreamDescription.Shards ?? []).map((s) => s.ShardId ?? '');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /** Every record of every shard, read with GetRecords from TRIM_HORIZON to the end. */
  async readAll(stream: string): Promise<StoredRecord[]> {
    const d = await this.client.send(new DescribeStreamCommand({ StreamName: stream }));
    const out: StoredRecord[] = [];
    for (const shard of d.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId ?? '';
      const it = await this.client.send(
        new GetShardIteratorCommand({
          StreamName: stream,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      let iterator = it.ShardIterator;
      while (iterator !== undefined) {
        const page = await this.client.send(
          new GetRecordsCommand({ ShardIterator: iterator, Limit: 10_000 }),
        );
        for (const r of page.Records ?? []) {
          out.push({
            shardId,
            partitionKey: r.PartitionKey ?? '',
            data: Buffer.from(r.Data ?? new Uint8Array()).toString('utf8'),
            sequenceNumber: r.SequenceNumber ?? '',
          });
        }
        if ((page.Records ?? []).length === 0 || page.MillisBehindLatest === 0) break;
        iterator = page.NextShardIterator;
      }
    }
    return out;
  }

  async stop(): Promise<void> {
    this.client.destroy();
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

export interface AwsRequest {
  /** X-Amz-Target, e.g. `Kinesis_20131202.PutRecords`; for the query protocol, the `Action`. */
  readonly target: string;
  readonly headers: IncomingMessage['headers'];
  /** The JSON body, or the query protocol's form fields. */
  readonly body: Record<string, unknown>;
  /** The records of a PutRecords / PutRecordBatch call, Data decoded. */
  readonly records: { readonly data: string; readonly partitionKey?: string }[];
}

export interface AwsAnswer {
  readonly status: number;
  /** JSON, or a string sent as is (the query protocol's XML). */
  readonly body: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export type AwsHandler = (req: AwsRequest) => AwsAnswer | undefined;

export interface AwsServer {
  readonly endpoint: string;
  readonly requests: AwsRequest[];
  handler: AwsHandler;
  close(): Promise<void>;
}

function decodeRecords(body: Record<string, unknown>): AwsRequest['records'] {
  const list = Array.isArray(body['Records']) ? (body['Records'] as Record<string, unknown>[]) : [];
  return list.map((r) => ({
    data: Buffer.from(String(r['Data'] ?? ''), 'base64').toString('utf8'),
    ...(typeof r['PartitionKey'] === 'string' ? { partitionKey: r['PartitionKey'] } : {}),
  }));
}

/** A JSON 1.1 error as AWS sends it: status, `x-amzn-ErrorType`, `{"__type","message"}`. */
export function awsError(status: number, type: string, message: string): AwsAnswer {
  return {
    status,
    headers: { 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/` },
    body: { __type: type, message },
  };
}

/** A PutRecords answer: `codes[i]` undefined = stored, else that record's ErrorCode. */
export function putRecordsAnswer(codes: readonly (string | undefined)[]): AwsAnswer {
  const records = codes.map((code, i) =>
    code === undefined
      ? { SequenceNumber: `4959${String(i).padStart(52, '0')}`, ShardId: 'shardId-000000000000' }
      : {
          ErrorCode: code,
          ErrorMessage:
            code === 'ProvisionedThroughputExceededException'
              ? 'Rate exceeded for shard shardId-000000000000 in stream s under account 111122223333.'
              : 'Internal service failure.',
        },
  );
  return {
    status: 200,
    body: { FailedRecordCount: codes.filter((c) => c !== undefined).length, Records: records },
  };
}

/** A PutRecordBatch answer: `codes[i]` undefined = stored, else that record's ErrorCode. */
export function putRecordBatchAnswer(codes: readonly (string | undefined)[]): AwsAnswer {
  const responses = codes.map((code, i) =>
    code === undefined ? { RecordId: `rec-${i}` } : { ErrorCode: code, ErrorMessage: 'Slow down.' },
  );
  return {
    status: 200,
    body: {
      FailedPutCount: codes.filter((c) => c !== undefined).length,
      Encrypted: false,
      RequestResponses: responses,
    },
  };
}

/** Every record stored, for either service. */
export function allStored(req: AwsRequest): AwsAnswer {
  const codes = req.records.map(() => undefined);
  return req.target.startsWith('Firehose_') ? putRecordBatchAnswer(codes) : putRecordsAnswer(codes);
}

/** The JSON 1.1 server; `undefined` from the handler = never answer (a hung service). */
export async function startAwsServer(handler: AwsHandler = allStored): Promise<AwsServer> {
  const requests: AwsRequest[] = [];
  const state = { handler };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // The AWS query protocol (SNS) posts a form and names the call in `Action`.
      const query = String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded');
      const body = query
        ? Object.fromEntries(new URLSearchParams(text))
        : (JSON.parse(text || '{}') as Record<string, unknown>);
      const seen: AwsRequest = {
        target: String(query ? body['Action'] : (req.headers['x-amz-target'] ?? '')),
        headers: req.headers,
        body,
        records: decodeRecords(body),
      };
      requests.push(seen);
      const answer = state.handler(seen);
      if (answer === undefined) return;
      // JSON 1.0 (SQS) and 1.1 answer in the request's content type; query answers are XML text.
      const type = query ? 'text/xml' : String(req.headers['content-type'] ?? 'application/x-amz-json-1.1');
      res.writeHead(answer.status, { 'content-type': type, ...(answer.headers ?? {}) });
      res.end(typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    get handler() {
      return state.handler;
    },
    set handler(h: AwsHandler) {
      state.handler = h;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** How the conformance server answers: every record stored, every record failing with a code, or a whole answer. */
export type AwsAnswerSpec =
  | 'stored'
  | { readonly recordCode: string }
  | { readonly whole: AwsAnswer | ((req: AwsRequest) => AwsAnswer) };

/** The AWS JSON 1.1 server as a conformance server (test/receivers/conformance/README.md). */
export class AwsConformanceServer {
  private taken = 0;
  private constructor(readonly server: AwsServer) {}

  static async start(): Promise<AwsConformanceServer> {
    useTestCredentials();
    return new AwsConformanceServer(await startAwsServer());
  }

  get endpoint(): string {
    return this.server.endpoint;
  }

  answerWith(answer: AwsAnswerSpec): void {
    if (answer === 'stored') this.server.handler = allStored;
    else if ('recordCode' in answer) {
      const codes = (req: AwsRequest) => req.records.map(() => answer.recordCode);
      this.server.handler = (req) =>
        req.target.startsWith('Firehose_') ? putRecordBatchAnswer(codes(req)) : putRecordsAnswer(codes(req));
    } else {
      const whole = answer.whole;
      this.server.handler = (req) => (typeof whole === 'function' ? whole(req) : whole);
    }
  }

  /** Each record of each call: the call, the stream, the partition key and the parsed data. */
  takeReceived(): unknown[] {
    const out = this.server.requests.slice(this.taken).flatMap((req) =>
      req.records.map((r) => ({
        target: req.target,
        stream: req.body['StreamName'] ?? req.body['DeliveryStreamName'],
        ...(r.partitionKey === undefined ? {} : { partitionKey: r.partitionKey }),
        newline: r.data.endsWith('\n'),
        data: JSON.parse(r.data) as unknown,
      })),
    );
    this.taken = this.server.requests.length;
    return out;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}

/** An error whose message echoes the request's credentials (signature, token): they must not reach any error or log. */
export function echoCredentials(status: number, type: string): (req: AwsRequest) => AwsAnswer {
  return (req) =>
    awsError(
      status,
      type,
      `request ${String(req.headers.authorization)} token ${String(req.headers['x-amz-security-token'])} key ${AWS_TEST_CREDENTIALS.AWS_SECRET_ACCESS_KEY}`,
    );
}
