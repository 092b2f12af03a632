// The pubsub receiver's pure parts: emulator detection, the gRPC status classification, and the
// options as the config loader reads them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyGrpcError, GRPC_CODE_NAMES } from '../../src/receivers/pubsub/classify.ts';
import { isEmulatorEndpoint } from '../../src/receivers/pubsub/options.ts';
import { receiverFromYaml } from '../output/helpers.ts';

describe('pubsub options and classification', () => {
  it('endpoint: a host outside googleapis.com is an emulator', () => {
    const cases: [string | undefined, boolean][] = [
      [undefined, false],
      ['127.0.0.1:8085', true],
      ['pubsub-emulator.test.svc:8085', true],
      ['pubsub.googleapis.com:443', false],
      ['https://europe-west1-pubsub.googleapis.com', false],
    ];
    for (const [endpoint, emulator] of cases)
      assert.equal(isEmulatorEndpoint(endpoint), emulator, String(endpoint));
  });

  it('every gRPC code has one action', () => {
    const actions = GRPC_CODE_NAMES.slice(1).map((name, i) => {
      const c = classifyGrpcError({ code: i + 1, details: 'd' });
      return `${name}:${c.kind}:${c.reason}`;
    });
    assert.deepEqual(actions, [
      'CANCELLED:retry:serverError',
      'UNKNOWN:retry:serverError',
      'INVALID_ARGUMENT:drop:clientError',
      'DEADLINE_EXCEEDED:retry:timeout',
      'NOT_FOUND:drop:clientError',
      'ALREADY_EXISTS:drop:clientError',
      'PERMISSION_DENIED:drop:clientError',
      'RESOURCE_EXHAUSTED:retry:rateLimited',
      'FAILED_PRECONDITION:drop:clientError',
      'ABORTED:retry:serverError',
      'OUT_OF_RANGE:drop:clientError',
      'UNIMPLEMENTED:drop:clientError',
      'INTERNAL:retry:serverError',
      'UNAVAILABLE:retry:serverError',
      'DATA_LOSS:drop:clientError',
      'UNAUTHENTICATED:drop:clientError',
    ]);
    assert.deepEqual(classifyGrpcError(new Error('Could not load the default credentials')), {
      kind: 'retry',
      reason: 'network',
      message: 'Could not load the default credentials',
    });
  });

  it('config errors name the key', () => {
    assert.throws(() => receiverFromYaml('- name: ps\n  pubsub:\n    topic: t'), /pubsub\.gcloud_project_id/);
    assert.throws(
      () =>
        receiverFromYaml(
          '- name: ps\n  pubsub:\n    gcloud_project_id: p\n    topic: t\n    create_topic: "yes"',
        ),
      /pubsub\.create_topic/,
    );
  });
});
