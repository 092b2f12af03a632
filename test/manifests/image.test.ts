// The image is set in one place: the Deployment names it by a bare name, and the `images:` entry
// of manifests/kustomization.yaml (or of a user's overlay) decides registry, name and tag.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { MANIFESTS, find, parseManifests, readManifests } from './load.ts';
import { requireExecutable } from '../support/require-server.ts';

interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

const kustomization = parse(readFileSync(join(MANIFESTS, 'kustomization.yaml'), 'utf8')) as {
  images?: ImageEntry[];
};

function deploymentImage(manifests: ReturnType<typeof readManifests>): string {
  const spec = find(manifests, 'Deployment', 'kube-event-router').body.spec as {
    template: { spec: { containers: { image: string }[] } };
  };
  return spec.template.spec.containers[0]?.image ?? '';
}

async function kustomize(dir: string): Promise<string> {
  const kubectl = requireExecutable('kubectl', 'apt-get install kubernetes-client');
  const { stdout } = await promisify(execFile)(kubectl, ['kustomize', dir], { timeout: 60_000 });
  return deploymentImage(parseManifests(stdout, 'kustomize output'));
}

describe('the image, set in one place', () => {
  const dirs: string[] = [];
  after(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('the Deployment names the image by a bare name that one images: entry maps', () => {
    const bare = deploymentImage(readManifests());
    assert.match(bare, /^[a-z0-9-]+$/, 'no registry, tag or digest in deployment.yaml');
    const entries = kustomization.images ?? [];
    assert.equal(entries.length, 1, 'one images: entry');
    const entry = entries[0] as ImageEntry;
    assert.equal(entry.name, bare);
    assert.ok(entry.newName !== undefined && entry.newName !== '', 'newName set');
    assert.ok((entry.newTag ?? entry.digest ?? '') !== '', 'a tag or digest is pinned');
    assert.notEqual(entry.newTag, 'latest');
  });

  it('an overlay that sets images: deploys that image, and the default builds as pinned', async () => {
    const entry = (kustomization.images ?? [])[0] as ImageEntry;
    assert.equal(await kustomize(MANIFESTS), `${entry.newName}:${entry.newTag}`);

    // kustomize refuses absolute paths to a base, so the overlay points at manifests/ relatively;
    // `bases:` because the kustomize inside Debian's kubectl (1.20) takes a directory only there
    // (current kustomize still reads it, with a deprecation notice).
    const overlay = mkdtempSync(join(tmpdir(), 'ker-overlay-'));
    dirs.push(overlay);
    writeFileSync(
      join(overlay, 'kustomization.yaml'),
      [
        'bases:',
        `  - ${relative(overlay, MANIFESTS)}`,
        'images:',
        `  - name: ${entry.name}`,
        '    newName: registry.example.com/platform/kube-event-router',
        '    newTag: 1.2.3',
        '',
      ].join('\n'),
    );
    assert.equal(await kustomize(overlay), 'registry.example.com/platform/kube-event-router:1.2.3');
  });
});
