// What a new user reads first: README.md opens with the two commands that work on a fresh clone,
// says how to build, publish and point the manifests at the image, and lists what the tests need.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, readDoc } from './markdown.ts';

const readme = readDoc('README.md');
const scripts = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;

function section(heading: string): string {
  const start = readme.indexOf(`\n## ${heading}`);
  assert.ok(start >= 0, `README has a "${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

describe('README.md', () => {
  it('opens with a demo that needs no cluster and the test command', () => {
    const first = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const commands = first
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => l.replace(/\s+#.*$/, '').trim());
    assert.deepEqual(commands, ['npm ci && npm run demo', 'npm test']);
    assert.match(scripts['demo'] ?? '', /--source demo/);
    assert.match(scripts['demo'] ?? '', /--dry-run/);
    assert.match(scripts['test'] ?? '', /--test/);
  });

  it('says how to build and publish the image and where the manifests take it', () => {
    const image = section('Building, publishing and deploying the image');
    for (const needle of [
      'docker build',
      'docker push',
      'podman',
      'buildah',
      'manifests/kustomization.yaml',
      'images:',
      'kustomize edit set image',
      'kubectl apply -k manifests/',
    ])
      assert.ok(image.includes(needle), needle);
  });

  it('lists the servers the tests start and how CI installs them', () => {
    const dev = section('Development');
    for (const needle of [
      'rsyslogd',
      'kinesalite',
      'HTTP servers',
      'Kubernetes API server',
      'openssl',
      '.ci/run',
      'apt-get',
    ])
      assert.ok(dev.includes(needle), needle);
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    assert.match(ci, /apt-get install/);
    for (const pkg of ['rsyslog', 'kubernetes-client', 'openssl']) {
      assert.ok(dev.includes(`\`${pkg}\``), `README names the Debian package ${pkg}`);
      assert.match(ci, new RegExp(`missing\\+=\\(${pkg}\\)`), `.ci/run installs ${pkg}`);
    }
  });

  it('documents every npm script it names', () => {
    for (const m of readme.matchAll(/npm run ([\w:-]+)/g)) assert.ok(scripts[m[1] ?? ''] !== undefined, m[0]);
  });
});
