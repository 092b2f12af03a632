// opensearch: the same `_bulk` server in its OpenSearch flavour, with the real OpenSearch client.
import { defineEntry } from './harness.ts';
import { BulkConformanceServer, bulkAnswers } from './elasticsearch.ts';
import type { BulkAnswer } from './elasticsearch.ts';

const PASSWORD = 'os-conformance-pass-91c3';

export const entry = defineEntry<BulkConformanceServer, BulkAnswer>({
  type: 'opensearch',
  start: () => BulkConformanceServer.start('opensearch', { username: 'router', password: PASSWORD }),
  receiver: (s) =>
    [
      '- name: os',
      '  opensearch:',
      `    hosts: ["${s.server.url}"]`,
      '    username: router',
      '    password: "${OS_PASSWORD}"',
      '    indexFormat: "kube-events-{2006.01.02}"',
      '    deDot: true',
    ].join('\n'),
  env: { OS_PASSWORD: PASSWORD },
  secrets: [PASSWORD],
  okAnswer: 'ok',
  answers: bulkAnswers('mapper_parsing_exception'),
});
