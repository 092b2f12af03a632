/** An input object that cannot be read as an Event. Counted and skipped, never fatal. */
export class MalformedEventError extends Error {
  readonly code = 'E_EVENT';
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}
