import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawEvent } from '../../src/event/event.ts';
import { PRESET_DEFINITIONS } from '../../src/route/preset-defs.ts';
import { PRESET_NAMES, listPresets, matchPresets } from '../../src/route/presets.ts';
import { presetRule } from '../../src/route/rule.ts';
import { enrich, event, realEvents, type EventSpec } from './events.ts';

describe('listPresets', () => {
  it('has the eventarbiter alert set and the spec names, each described in one line', () => {
    const names = listPresets().map((p) => p.name);
    for (const name of [
      'node_notready',
      'node_notschedulable',
      'node_systemoom',
      'node_rebooted',
      'pod_backoff',
      'pod_failed',
      'pod_failedsync',
      'pod_failedscheduling',
      'pod_unhealthy',
      'npd_oomkilling',
      'npd_taskhung',
      'pod_oomkilled',
      'pod_crashloop',
      'pod_unschedulable',
      'node_plegunhealthy',
      'pod_insufficientresources',
      'volume_failedmount',
      'pod_imagepullbackoff',
    ]) {
      assert.ok(names.includes(name), name);
    }
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names, PRESET_NAMES);
    for (const { name, description } of listPresets()) {
      assert.match(name, /^[a-z]+_[a-z_]+$/);
      assert.match(description, /^[A-Za-z].*\.$/, name);
      assert.ok(!description.includes('\n'), name);
    }
  });

  it('every preset compiles and records its source', () => {
    for (const def of PRESET_DEFINITIONS) {
      assert.ok(presetRule(def.name), def.name);
      assert.match(def.source, /^(eventarbiter|kube-eventer) /, def.name);
    }
  });
});

function realEvent(reason: string, message: RegExp): RawEvent {
  const found = realEvents().find((raw) => raw.reason === reason && message.test(raw.message ?? ''));
  assert.ok(found, `no real ${reason} event with message ${message}`);
  return found;
}

describe('matchPresets on real events', () => {
  const cases: [reason: string, message: RegExp, presets: string[]][] = [
    ['BackOff', /^Back-off restarting failed container/, ['pod_backoff', 'pod_crashloop']],
    ['BackOff', /^Back-off pulling image/, ['pod_backoff', 'pod_imagepullbackoff']],
    ['Failed', /^Failed to pull image/, ['pod_failed', 'pod_imagepullbackoff']],
    ['Failed', /^Error: ImagePullBackOff/, ['pod_failed', 'pod_imagepullbackoff']],
    ['Failed', /^Error: ErrImagePull/, ['pod_failed', 'pod_imagepullbackoff']],
    ['Failed', /^Error: failed to start container/, ['pod_failed', 'pod_failstart']],
    [
      'FailedScheduling',
      /Insufficient cpu/,
      ['pod_failedscheduling', 'pod_unschedulable', 'pod_insufficientresources'],
    ],
    ['FailedScheduling', /waiting for ephemeral volume/, ['pod_failedscheduling', 'pod_unschedulable']],
    ['Unhealthy', /^Liveness probe failed/, ['pod_unhealthy']],
    ['Unhealthy', /^Readiness probe failed/, ['pod_unhealthy']],
    ['FailedMount', /^MountVolume.SetUp failed/, ['volume_failedmount']],
    ['FailedMount', /^Unable to attach or mount volumes/, ['volume_failedmount']],
    ['Pulled', /./, []],
    ['NodeReady', /./, []],
    ['FailedCreate', /forbidden/, []],
  ];
  for (const [reason, message, presets] of cases) {
    it(`${reason} ${message} → ${presets.join(', ') || 'none'}`, () => {
      assert.deepEqual(matchPresets(enrich(realEvent(reason, message))), presets);
    });
  }

  it('no Normal event of the fixture hits an alarm preset', () => {
    const hits = realEvents()
      .filter((raw) => raw.type === 'Normal' && raw.reason !== 'BackOff')
      .flatMap((raw) => matchPresets(enrich(raw)));
    assert.deepEqual(hits, []);
  });
});

describe('matchPresets on events absent from the fixture', () => {
  const node = (reason: string, message = ''): EventSpec => ({
    kind: 'Node',
    reason,
    message,
    type: 'Warning',
  });
  const cases: [title: string, spec: EventSpec, presets: string[]][] = [
    ['node not ready', node('NodeNotReady', 'Node n1 status is now: NodeNotReady'), ['node_notready']],
    [
      'PLEG',
      node(
        'NodeNotReady',
        'container runtime is down,PLEG is not healthy: pleg was last seen active 3m0s ago',
      ),
      ['node_notready', 'node_plegunhealthy'],
    ],
    ['cordoned', node('NodeNotSchedulable'), ['node_notschedulable']],
    ['system OOM', node('SystemOOM', 'System OOM encountered, victim process: java'), ['node_systemoom']],
    ['rebooted', node('Rebooted', 'Node n1 has been rebooted, boot id: 1'), ['node_rebooted']],
    [
      'npd OOM on the node',
      node('OOMKilling', 'Out of memory: Kill process 1234 (java)'),
      ['npd_oomkilling', 'pod_oomkilled'],
    ],
    [
      'task hung',
      node('TaskHung', 'INFO: task docker:1234 blocked for more than 120 seconds.'),
      ['npd_taskhung'],
    ],
    ['disk pressure', node('NodeHasDiskPressure'), ['node_diskpressure']],
    ['pid pressure', node('NodeHasPIDPressure'), ['node_fdpressure']],
    ['docker hung', node('DockerHung'), ['node_dockerhung']],
    ['conntrack', node('ConntrackFull'), ['node_conntrackfull']],
    ['pod OOM', { kind: 'Pod', reason: 'OOMKilled' }, ['pod_oomkilled']],
    [
      'evicted',
      { kind: 'Pod', reason: 'Evicted', message: 'The node was low on resource: memory.' },
      ['pod_evicted'],
    ],
    ['failed sync', { kind: 'Pod', reason: 'FailedSync', message: 'Error syncing pod' }, ['pod_failedsync']],
    [
      'failed sync crashloop',
      {
        kind: 'Pod',
        reason: 'FailedSync',
        message: 'failed to "StartContainer" for "app" with CrashLoopBackOff',
      },
      ['pod_failedsync', 'pod_crashloop'],
    ],
    [
      'quota',
      {
        kind: 'ReplicaSet',
        reason: 'FailedCreate',
        message: 'Error creating: pods "x" is forbidden: exceeded quota: q',
      },
      ['pod_exceededquota'],
    ],
    [
      'attach',
      { kind: 'Pod', reason: 'FailedAttachVolume', message: 'AttachVolume.Attach failed' },
      ['volume_failedmount'],
    ],
    [
      'provisioning',
      { kind: 'PersistentVolumeClaim', reason: 'ProvisioningFailed' },
      ['volume_provisionfailed'],
    ],
    [
      'no storage class',
      {
        kind: 'PersistentVolumeClaim',
        reason: 'FailedBinding',
        message: 'no persistent volumes available for this claim and no storage class is set',
      },
      ['pvc_nostorageclass'],
    ],
    ['load balancer', { kind: 'Service', reason: 'SyncLoadBalancerFailed' }, ['service_loadbalancerfailed']],
    ['eventarbiter kinds are exact', { kind: 'PodTemplate', reason: 'Unhealthy' }, []],
  ];
  for (const [title, spec, presets] of cases) {
    it(title, () => assert.deepEqual(matchPresets(event(spec)), presets));
  }

  it('is memoised per event object', () => {
    const e = event(node('NodeNotReady'));
    assert.equal(matchPresets(e), matchPresets(e));
    assert.ok(Object.isFrozen(matchPresets(e)));
    assert.notEqual(matchPresets(event(node('NodeNotReady'))), matchPresets(e));
  });
});
