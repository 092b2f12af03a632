// One problem found while loading a config. Paths are relative to the value handed to the
// function that found it; the loader prefixes them and adds the file's line:column.
export type ConfigPath = readonly (string | number)[];

export const SEVERITIES = ['error', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface Problem {
  readonly path: ConfigPath;
  readonly message: string;
  readonly severity: Severity;
}

export function error(path: ConfigPath, message: string): Problem {
  return { path, message, severity: 'error' };
}

export function warning(path: ConfigPath, message: string): Problem {
  return { path, message, severity: 'warning' };
}

/** `route.routes[1].drop[0].reason` */
export function formatPath(path: ConfigPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}
