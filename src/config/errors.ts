// The one error a config load throws: every problem found, each placed in the file.
import type { Problem } from './problem.ts';

export interface PlacedProblem extends Problem {
  readonly fileName: string;
  /** 1-based; 0 when the problem is about the file as a whole (it could not be read). */
  readonly line: number;
  readonly column: number;
  /** `config.yaml:12:9 route.routes[1].drop[0].namespace: invalid regular expression ...` */
  readonly text: string;
}

export class ConfigError extends Error {
  readonly code = 'E_CONFIG' as const;
  override readonly name = 'ConfigError';

  constructor(
    readonly fileName: string,
    /** Errors only, in file order. */
    readonly problems: readonly PlacedProblem[],
    /** Warnings found on the way (not the cause of the failure). */
    readonly warnings: readonly string[] = [],
  ) {
    const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
    super(`Invalid config ${fileName} (${count}):\n${problems.map((p) => `  ${p.text}`).join('\n')}`);
  }

  /** The formatted problem lines, one per problem. */
  get lines(): string[] {
    return this.problems.map((problem) => problem.text);
  }
}
