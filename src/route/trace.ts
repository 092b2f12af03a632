// What `route-test` and the debug endpoint show: how one event went through the route tree.

/** The outcome of one match rule at one route. */
export interface RuleTrace {
  /** Index in the route's `match` list. */
  readonly rule: number;
  readonly matched: boolean;
  /** Set when the rule matched and names a receiver. */
  readonly receiver?: string;
}

/** One visited route, identified as `root`, `root/1`, `root/1/0` (indexes in `routes`). */
export type TraceStep =
  /** `repeats: first` on this route (or inherited) and the event is a later occurrence. */
  | {
      readonly route: string;
      readonly action: 'skip';
      readonly reason: 'repeats';
      readonly occurrence: number;
    }
  /** Drop rule `rule` matched: nothing at this route or below was sent. */
  | { readonly route: string; readonly action: 'drop'; readonly rule: number }
  | {
      readonly route: string;
      readonly action: 'match';
      readonly matches: readonly RuleTrace[];
      /** Receivers this route's match rules sent to, in rule order. */
      readonly receivers: readonly string[];
      /** True when a match rule did not match, so the child routes were not evaluated. */
      readonly gated: boolean;
    };

export interface RouteTrace {
  /** Receivers the event is delivered to (once each), sorted. */
  readonly receivers: string[];
  readonly steps: TraceStep[];
  /** How many times each receiver was reached; more than 1 means extra hits delivered once. */
  readonly hits: Record<string, number>;
}
