import { relative } from 'node:path';

/** One problem in a flow file, located by file, line and YAML path (`trigger.webhook.event`). */
export class FlowValidationError extends Error {
  override readonly name = 'FlowValidationError';

  constructor(
    /** The flow file, as an absolute path. */
    readonly file: string,
    /** 1-based. */
    readonly line: number,
    /** 1-based. */
    readonly column: number,
    /** Dotted YAML path of the offending node; empty for the file as a whole. */
    readonly path: string,
    message: string,
  ) {
    super(message);
  }

  /** `config/flows/order.yaml:7 trigger.webhook.event: unknown event "order.creatd" (...)`, path relative to the cwd. */
  override toString(): string {
    const where = `${relative(process.cwd(), this.file) || this.file}:${this.line}`;
    return this.path === '' ? `${where} ${this.message}` : `${where} ${this.path}: ${this.message}`;
  }
}
