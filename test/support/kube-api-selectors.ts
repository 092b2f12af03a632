// fieldSelector and labelSelector as the apiserver reads them, on the basics the router uses.
import { ApiStatusError, type KubeObject } from './kube-api-store.ts';

export type Selector = (obj: KubeObject) => boolean;

const matchAll: Selector = () => true;

function fieldValue(obj: KubeObject, path: string): string {
  let current: unknown = obj;
  for (const part of path.split('.')) {
    if (typeof current !== 'object' || current === null) return '';
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined || current === null) return '';
  return typeof current === 'string' ? current : JSON.stringify(current);
}

/** `a.b=v,c!=w` (also `==`). */
export function parseFieldSelector(text: string | null): Selector {
  if (text === null || text.trim() === '') return matchAll;
  const terms = text.split(',').map((term) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (m === null) throw new ApiStatusError(400, 'BadRequest', `invalid field selector: ${term}`);
    const [, path = '', op, value = ''] = m;
    return (obj: KubeObject): boolean => (fieldValue(obj, path.trim()) === value.trim()) === (op !== '!=');
  });
  return (obj) => terms.every((t) => t(obj));
}

function labels(obj: KubeObject): Record<string, string> {
  const value = obj.metadata['labels'];
  return typeof value === 'object' && value !== null ? (value as Record<string, string>) : {};
}

// Commas inside `in (a,b)` are not term separators.
function splitTerms(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((t) => t.trim()).filter((t) => t !== '');
}

function labelTerm(term: string): Selector {
  const set = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(term);
  if (set !== null) {
    const [, key = '', op, list = ''] = set;
    const values = list.split(',').map((v) => v.trim());
    return (obj) => {
      const value = labels(obj)[key];
      return op === 'in'
        ? value !== undefined && values.includes(value)
        : value === undefined || !values.includes(value);
    };
  }
  const eq = /^([^!=\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(term);
  if (eq !== null) {
    const [, key = '', op, value = ''] = eq;
    return (obj) => (labels(obj)[key] === value) === (op !== '!=');
  }
  if (/^!\S+$/.test(term)) return (obj) => labels(obj)[term.slice(1)] === undefined;
  if (/^\S+$/.test(term)) return (obj) => labels(obj)[term] !== undefined;
  throw new ApiStatusError(400, 'BadRequest', `unable to parse requirement: ${term}`);
}

/** `k=v`, `k==v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`. */
export function parseLabelSelector(text: string | null): Selector {
  if (text === null || text.trim() === '') return matchAll;
  const terms = splitTerms(text).map(labelTerm);
  return (obj) => terms.every((t) => t(obj));
}
