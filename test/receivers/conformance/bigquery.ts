// bigquery: tabledata.insertAll (the local server of ../bigquery-server.ts), reached by the real
// client library authenticated through a workload identity federation credentials file whose
// token exchange the same server answers. Per-row insertErrors in a 200 and whole-request errors.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BigqueryServer, SUBJECT_TOKEN, googleError } from '../bigquery-server.ts';
import type { HttpAnswer, InsertRequest } from '../bigquery-server.ts';
import { defineEntry } from './harness.ts';
import type { ConformanceServer } from './harness.ts';

const TABLE = 'kube-project.k8s.events';
const TOKEN = 'ya29.d.conformance-access-token-9876';

/** 'ok' = stored; a row reason = every row refused with it in a 200; else a whole answer. */
type BigqueryAnswer = 'ok' | { readonly rowReason: string } | ((req: InsertRequest) => HttpAnswer);

interface Server extends ConformanceServer<BigqueryAnswer> {
  readonly origin: string;
  readonly credentials: string;
}

async function start(): Promise<Server> {
  const server = await BigqueryServer.start([TABLE]);
  server.issueToken = () => TOKEN;
  const credentials = server.credentialsFile(join(mkdtempSync(join(tmpdir(), 'ker-bq-conf-')), 'gcp'));
  let taken = 0;
  return {
    origin: server.origin,
    credentials,
    answerWith(answer) {
      server.handler = typeof answer === 'function' ? answer : () => undefined;
      server.rowError = () =>
        typeof answer === 'object'
          ? { reason: answer.rowReason, message: `scripted ${answer.rowReason}` }
          : undefined;
    },
    takeReceived() {
      const rows = [...server.stored].slice(taken);
      taken += rows.length;
      return rows.map(([insertId, json]) => ({ insertId, json }));
    },
    close: () => server.close(),
  };
}

const whole = (answer: HttpAnswer) => () => answer;

export const entry = defineEntry<Server, BigqueryAnswer>({
  type: 'bigquery',
  start,
  receiver: (s) =>
    [
      '- name: events',
      '  bigquery:',
      '    project: kube-project',
      '    dataset: k8s',
      '    table: events',
      `    credentials_path: ${s.credentials}`,
      `    endpoint: "${s.origin}"`,
    ].join('\n'),
  secrets: [TOKEN, SUBJECT_TOKEN],
  okAnswer: 'ok',
  answers: [
    { scenario: 'stored', serverAnswer: 'ok', expected: 'ok' },
    {
      scenario: 'row backendError',
      serverAnswer: { rowReason: 'backendError' },
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: 'row rateLimitExceeded',
      serverAnswer: { rowReason: 'rateLimitExceeded' },
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: 'row invalid',
      serverAnswer: { rowReason: 'invalid' },
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '503 backendError',
      serverAnswer: whole(googleError(503, 'backendError', 'Backend error.', 'UNAVAILABLE')),
      expected: 'retry',
      reason: 'serverError',
    },
    {
      scenario: '403 quotaExceeded',
      serverAnswer: whole(googleError(403, 'quotaExceeded', 'Quota exceeded.', 'PERMISSION_DENIED')),
      expected: 'retry',
      reason: 'rateLimited',
    },
    {
      scenario: '401 echoing the Authorization header',
      serverAnswer: (req) =>
        googleError(
          401,
          'authError',
          `Invalid credentials: ${JSON.stringify(req.headers)}`,
          'UNAUTHENTICATED',
        ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '403 accessDenied',
      serverAnswer: whole(
        googleError(403, 'accessDenied', 'Access Denied: Table kube-project:k8s.events', 'PERMISSION_DENIED'),
      ),
      expected: 'drop',
      reason: 'clientError',
    },
    {
      scenario: '404 notFound',
      serverAnswer: whole(
        googleError(404, 'notFound', 'Not found: Table kube-project:k8s.events', 'NOT_FOUND'),
      ),
      expected: 'drop',
      reason: 'clientError',
    },
  ],
});
