import type { FastifyBaseLogger } from 'fastify';
import type { Bindings, ChildLoggerOptions } from 'pino';

type LogMethod = (...args: unknown[]) => void;
const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * A request's logger that becomes the parent's child logger (bound to the request id) only when
 * something is logged through it. Fastify makes one for every request, and pino's child() copies
 * the parent and serializes the bindings each time: 1.6% of the HTTP thread's time under the
 * ledger benchmark, for requests that almost never log (request logging is off; errors log).
 */
export class LazyRequestLogger implements FastifyBaseLogger {
  #child: FastifyBaseLogger | undefined;

  // One method per level on the prototype (below), each handing its arguments to the child as given.
  declare fatal: LogMethod;
  declare error: LogMethod;
  declare warn: LogMethod;
  declare info: LogMethod;
  declare debug: LogMethod;
  declare trace: LogMethod;
  declare silent: LogMethod;

  static {
    for (const level of levels) {
      this.prototype[level] = function (this: LazyRequestLogger, ...args: unknown[]) {
        const logger = this.logger;
        (logger[level] as LogMethod).apply(logger, args);
      };
    }
  }

  constructor(private readonly parent: FastifyBaseLogger, private readonly bindings: Bindings, private readonly options: ChildLoggerOptions) {}

  private get logger(): FastifyBaseLogger {
    this.#child ??= this.parent.child(this.bindings, this.options);
    return this.#child;
  }

  get level(): string {
    return this.#child?.level ?? this.options.level ?? this.parent.level;
  }

  set level(level: string) {
    this.logger.level = level;
  }

  child(bindings: Bindings, options?: ChildLoggerOptions): FastifyBaseLogger {
    return this.logger.child(bindings, options);
  }
}
