import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readDockerfile } from './load.ts';

const { stages, args } = readDockerfile();
const final = stages.at(-1) ?? [];
const ops = (op: string) => final.filter((i) => i.op === op);

function resolve(image: string): string {
  return image.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_m, a: string | undefined, b: string | undefined) => args.get(a ?? b ?? '') ?? '',
  );
}

describe('Dockerfile', () => {
  it('is multi-stage, every base image tagged and never latest', () => {
    assert.ok(stages.length >= 2);
    for (const stage of stages) {
      const image = resolve((stage[0]?.args ?? '').split(' ')[0] ?? '');
      assert.match(image, /^[\w./-]+:[\w.-]+(@sha256:[0-9a-f]{64})?$/, image);
      assert.doesNotMatch(image, /:latest\b/);
    }
  });

  it('installs production dependencies only, with the lock file, and copies them into the final stage', () => {
    const all = stages.flat();
    assert.ok(all.some((i) => i.op === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(i.args)));
    assert.ok(
      !final.some((i) => i.op === 'RUN' && /\bnpm (ci|install)\b/.test(i.args)),
      'no npm in the final image build',
    );
    assert.ok(ops('COPY').some((i) => /--from=\w+ \/app\/node_modules/.test(i.args)));
    // bin/ runs the TypeScript sources through tsx, so tsx must be a production dependency.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    assert.ok(pkg.dependencies.tsx, 'tsx is a runtime dependency');
    assert.match(readFileSync(join(ROOT, 'bin/kube-event-router'), 'utf8'), /tsx/);
  });

  it('copies only paths that exist, and .dockerignore keeps them', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    for (const must of ['node_modules', '.git', 'test'])
      assert.ok(ignored.includes(must), `.dockerignore lacks ${must}`);
    for (const copy of ops('COPY').filter((i) => !i.args.startsWith('--from'))) {
      const sources = copy.args.split(' ').slice(0, -1);
      for (const source of sources) {
        assert.ok(existsSync(join(ROOT, source)), `COPY ${source}: missing`);
        assert.ok(!ignored.includes(source), `COPY ${source}: ignored by .dockerignore`);
      }
    }
  });

  it('runs as uid 65532, on port 2112, with the documented entrypoint and command', () => {
    assert.deepEqual(
      ops('USER').map((i) => i.args),
      ['65532:65532'],
    );
    assert.deepEqual(JSON.parse(ops('ENTRYPOINT')[0]?.args ?? 'null'), ['node', 'bin/kube-event-router']);
    assert.deepEqual(JSON.parse(ops('CMD')[0]?.args ?? 'null'), [
      'run',
      '-c',
      '/etc/kube-event-router/config.yaml',
    ]);
    assert.deepEqual(
      ops('EXPOSE').map((i) => i.args),
      ['2112'],
    );
    const user = final.findIndex((i) => i.op === 'USER');
    assert.ok(
      final.slice(user + 1).every((i) => i.op !== 'RUN'),
      'nothing runs as root after USER',
    );
  });
});
