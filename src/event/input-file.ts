import { access, constants, readFile, stat } from 'node:fs/promises';
import { text } from 'node:stream/consumers';
import { InputFormatError } from './input-format.ts';
import { type ObjectIndex, readObjects } from './object-index.ts';
import { readChanges, type ReadChangesResult } from './read-events.ts';

/** An input file (`--events`, `--objects`, `replay:`) cannot be read: one line naming it and why. */
export class InputError extends Error {
  readonly code = 'E_INPUT';
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

// Node's own wording ("ENOENT: no such file or directory, open '…'") repeats the path and the code.
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  EMFILE: 'too many open files',
};

/** `--events file events.json`, or `--events (standard input)` for `-`. */
export function inputName(option: string, path: string): string {
  return path === '-' ? `${option} (standard input)` : `${option} file ${path}`;
}

function reason(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : '';
  if (code in REASONS) return REASONS[code] ?? code;
  if (err instanceof Error && err.message.includes('Invalid string length')) return 'too large to read';
  return err instanceof Error ? err.message : String(err);
}

/** Reads a whole input, `-` being standard input; a byte-order mark is dropped. */
export async function readInputText(option: string, path: string): Promise<string> {
  try {
    const content = path === '-' ? await text(process.stdin) : await readFile(path, 'utf8');
    return content.startsWith('\uFEFF') ? content.slice(1) : content;
  } catch (err) {
    throw new InputError(`${inputName(option, path)}: ${reason(err)}`);
  }
}

/** Fails at once, before anything starts, when an input that will be read later cannot be. */
export async function checkReadable(option: string, path: string): Promise<void> {
  if (path === '-') return;
  try {
    await access(path, constants.R_OK);
    if ((await stat(path)).isDirectory())
      throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
  } catch (err) {
    throw new InputError(`${inputName(option, path)}: ${reason(err)}`);
  }
}

function parsed<T>(option: string, path: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof InputFormatError) throw new InputError(`${inputName(option, path)}: ${err.message}`);
    throw err;
  }
}

export async function readChangesFile(option: string, path: string): Promise<ReadChangesResult> {
  const content = await readInputText(option, path);
  return parsed(option, path, () => readChanges(content));
}

export async function readObjectsFile(option: string, path: string): Promise<ObjectIndex> {
  const content = await readInputText(option, path);
  return parsed(option, path, () => readObjects(content));
}
