/**
 * A data-folder file the server cannot use as it is. The message names the file and the field
 * (`config.json: services[2].prefix: one or two capital letters`) so the CLI can print it to
 * the person at the hall instead of a stack trace.
 */
export class ConfigError extends Error {
  override name = 'ConfigError';
  /** The first offending field, e.g. `services[2].prefix`; undefined when the file itself is bad. */
  field?: string;
  constructor(message: string, field?: string, options?: { cause?: unknown }) {
    super(message, options);
    if (field !== undefined) this.field = field;
  }
}
