// Options every receiver accepts inside its type block: the layout and its template dialect.
// (The options set next to `name` — batch, queue, retry, deadLetter, throttle — are output policy: src/output/policy.ts.)
import { z } from 'zod';
import { options } from '../config/zod-helpers.ts';
import { TEMPLATE_SYNTAXES } from '../template/index.ts';
import type { TemplateSyntax } from '../template/index.ts';

export type { TemplateSyntax };

/** Keys accepted in every type block, next to the type's own options. */
export const commonTypeOptionShape = {
  layout: z.unknown().optional(),
  typedLayout: z.boolean().default(false),
  templateSyntax: z.enum(TEMPLATE_SYNTAXES).default('go'),
};
export const COMMON_TYPE_OPTION_KEYS: readonly string[] = Object.keys(commonTypeOptionShape);

/** The schema of a type block: the type's own options plus the common ones. */
export function typeOptions<Shape extends z.ZodRawShape>(shape: Shape) {
  return options({ ...commonTypeOptionShape, ...shape });
}
