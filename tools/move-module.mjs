#!/usr/bin/env node
// Moves TypeScript modules and rewrites every relative import of them (static, dynamic and
// `new URL(..., import.meta.url)`) across src/, test/, bench/ and tools/, so a file move is one
// command. Usage: node tools/move-module.mjs OLD NEW [OLD NEW ...]   (paths from the repo root)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.length === 0 || args.length % 2 !== 0) {
  console.error('Usage: node tools/move-module.mjs OLD NEW [OLD NEW ...]');
  process.exit(2);
}
const moves = new Map();
for (let i = 0; i < args.length; i += 2) moves.set(resolve(root, args[i]), resolve(root, args[i + 1]));

function walk(dir, out) {
  if (!existsSync(dir)) return out;
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}
const files = ['src', 'test', 'bench', 'tools'].flatMap((d) => walk(join(root, d), []));
const SPEC = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)(['"])(\.{1,2}\/[^'"]*)\2/g;

function rel(fromDir, target) {
  const r = relative(fromDir, target);
  return r.startsWith('.') ? r : `./${r}`;
}

for (const file of files) {
  const newFile = moves.get(file) ?? file;
  const text = readFileSync(file, 'utf8');
  const next = text.replace(SPEC, (all, lead, q, spec) => {
    const target = resolve(dirname(file), spec);
    const moved = moves.get(target) ?? target;
    if (moved === target && newFile === file) return all;
    return `${lead}${q}${rel(dirname(newFile), moved)}${q}`;
  });
  if (next !== text) writeFileSync(file, next);
}
for (const [from, to] of moves) {
  mkdirSync(dirname(to), { recursive: true });
  execFileSync('git', ['mv', from, to], { cwd: root });
}
