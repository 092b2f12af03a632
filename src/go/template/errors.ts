// Errors of the Go template engine. Messages follow Go's text/template word for word, so a
// user who knows the exporter recognises them (and the differential tests can compare them).

/** A template that does not parse (Go reports these at Parse time). */
export class TemplateSyntaxError extends Error {
  readonly code = 'E_TEMPLATE';
  constructor(
    /** Go's full message: `template: name:line: detail`. */
    message: string,
    /** The bare reason, e.g. `unexpected "}" in operand`. */
    readonly detail: string,
    /** 1-based position of the offending token inside the template text. */
    readonly line: number,
    readonly column: number,
    /** The template source. */
    readonly template: string,
  ) {
    super(message);
    this.name = 'TemplateSyntaxError';
  }
}

/** A failure while executing a template for one value of dot. */
export class TemplateExecError extends Error {
  readonly code = 'E_TEMPLATE_EXEC';
  constructor(
    /** Go's full message: `template: name:line:col: executing "name" at <node>: detail`. */
    message: string,
    readonly detail: string,
  ) {
    super(message);
    this.name = 'TemplateExecError';
  }
}

/** 1-based line and column of a UTF-16 offset in text. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}
