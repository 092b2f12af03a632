// Reads manifests/ and the Dockerfile for the packaging tests.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const MANIFESTS = join(ROOT, 'manifests');

export interface Manifest {
  readonly file: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  readonly body: Record<string, unknown>;
}

export function parseManifests(text: string, file: string): Manifest[] {
  return parseAllDocuments(text).map((doc, i) => {
    if (doc.errors.length > 0) throw new Error(`${file} document ${i}: ${doc.errors[0]?.message}`);
    const body = doc.toJS() as Record<string, unknown>;
    const meta = (body.metadata ?? {}) as { name?: string; namespace?: string };
    return { file, kind: String(body.kind), name: String(meta.name), namespace: meta.namespace, body };
  });
}

export function manifestFiles(): string[] {
  return readdirSync(MANIFESTS)
    .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
    .sort();
}

export function readManifests(): Manifest[] {
  return manifestFiles().flatMap((file) => parseManifests(readFileSync(join(MANIFESTS, file), 'utf8'), file));
}

export function find(manifests: readonly Manifest[], kind: string, name?: string): Manifest {
  const found = manifests.find((m) => m.kind === kind && (name === undefined || m.name === name));
  if (found === undefined) throw new Error(`no ${kind}${name === undefined ? '' : ` ${name}`} in manifests/`);
  return found;
}

export interface Instruction {
  readonly op: string;
  readonly args: string;
}

/** Dockerfile instructions, comments dropped and `\` continuations joined, split into stages. */
export function readDockerfile(): { stages: Instruction[][]; args: Map<string, string> } {
  const text = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  const stages: Instruction[][] = [];
  const args = new Map<string, string>();
  for (const line of joined.split('\n')) {
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (match === null) continue;
    const op = (match[1] ?? '').toUpperCase();
    const rest = (match[2] ?? '').trim().replace(/\s+/g, ' ');
    if (op === 'FROM') stages.push([]);
    if (op === 'ARG' && stages.length === 0) {
      const [name, value] = rest.split('=');
      if (name !== undefined && value !== undefined) args.set(name, value);
    }
    stages.at(-1)?.push({ op, args: rest });
  }
  return { stages, args };
}
