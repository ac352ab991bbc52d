// Work that follows a command after its answer has gone: a tier upgrade after an earn, the point
// awards and referral events after an ingest, a share click's events. Kept track of here so that a
// shutdown can let it finish before the store closes; without that, each piece still running hit a
// closed store and logged an error at every stop under load (the award sweep and the periodic tier
// evaluation would catch up, but a clean stop should not need them).
import type { Logger } from 'pino';

export class BackgroundWork {
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  /** Lets `work` run on; a failure it did not handle itself is logged, never thrown. */
  track(work: Promise<unknown>, what: string): void {
    const settled: Promise<void> = work.then(
      () => undefined,
      (error: unknown) => this.logger.error({ err: error }, `${what} failed`),
    ).finally(() => this.running.delete(settled));
    this.running.add(settled);
  }

  /** How many pieces are still running. */
  get pending(): number {
    return this.running.size;
  }

  /**
   * Resolves once nothing is running, including work that what is running starts meanwhile, or
   * once `withinMs` has passed: true when everything finished. A stop must not wait forever on a
   * sweep stuck behind an unreachable database.
   */
  async finish(withinMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timed out'>((resolve) => {
      if (Number.isFinite(withinMs)) timer = setTimeout(() => resolve('timed out'), withinMs);
    });
    try {
      while (this.running.size > 0) {
        if ((await Promise.race([Promise.all([...this.running]), timedOut])) === 'timed out') return false;
      }
      return true;
    } finally {
      clearTimeout(timer);
    }
  }
}
