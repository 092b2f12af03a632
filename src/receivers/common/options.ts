// The option schemas receivers share, for the options files (which import no SDK): the keys every
// type block accepts (layout and its template dialect), an http(s) URL, the `tls` block and a
// request timeout. (The options set next to `name` — batch, queue, retry, deadLetter, throttle —
// are output policy: src/output/policy.ts.)
import { z } from 'zod';
import { options } from '../../config/zod-helpers.ts';
import { TEMPLATE_SYNTAXES } from '../../template/index.ts';
import type { TemplateSyntax } from '../../template/index.ts';
import type { TemplatedOption } from './types.ts';

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

export function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** An http(s) URL. The message never repeats the value: URLs often carry a token from the env. */
export const httpUrl = z.string().refine(isHttpUrl, { message: 'must be an http:// or https:// URL' });

/** An http(s) URL whose query has a non-empty `param` (a robot's key or access token). */
export function httpUrlWithParam(param: string, message: string) {
  return z
    .string()
    .refine((value) => isHttpUrl(value) && (new URL(value).searchParams.get(param) ?? '') !== '', {
      message,
    });
}

/** The exporter's `tls` block (read at start-up by common/tls.ts). */
export const tlsSchema = options({
  insecureSkipVerify: z.boolean().default(false),
  serverName: z.string().optional(),
  caFile: z.string().optional(),
  certFile: z.string().optional(),
  keyFile: z.string().optional(),
})
  .superRefine((tls, ctx) => {
    if (Boolean(tls.certFile) !== Boolean(tls.keyFile)) {
      const missing = tls.certFile ? 'keyFile' : 'certFile';
      const given = tls.certFile ? 'certFile' : 'keyFile';
      ctx.addIssue({ code: 'custom', path: [missing], message: `is required when ${given} is set` });
    }
  })
  .prefault({});

/** A request timeout, in milliseconds. */
export const timeoutMs = (defaultMs: number) => z.int().min(1).default(defaultMs);

/** The templated options of a `headers` map: each value is an event template. */
export function headerTemplates(headers: Readonly<Record<string, string>>): TemplatedOption[] {
  return Object.entries(headers).map(([name, source]) => ({ path: ['headers', name], source }));
}
