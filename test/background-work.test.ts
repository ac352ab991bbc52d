// BackgroundWork: what follows an answered command. A shutdown waits on finish(), so it must cover
// work started by other background work, and a failure must be logged, never become an unhandled
// rejection.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { BackgroundWork } from '../src/services/background-work';

function capturingLogger() {
  const lines: { level: number; msg: string; err?: { message: string } }[] = [];
  return { lines, logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) }) };
}

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('BackgroundWork', () => {
  it('finishes only once the work that running work started has finished too', async () => {
    const { logger } = capturingLogger();
    const work = new BackgroundWork(logger);
    const done: string[] = [];
    work.track((async () => {
      await tick(10);
      done.push('first');
      work.track(tick(20).then(() => done.push('started by the first')), 'follow-up');
    })(), 'first');
    expect(work.pending).toBe(1);
    await expect(work.finish()).resolves.toBe(true);
    expect(done).toEqual(['first', 'started by the first']);
    expect(work.pending).toBe(0);
  });

  it('logs a failure with what failed and carries on', async () => {
    const { logger, lines } = capturingLogger();
    const work = new BackgroundWork(logger);
    work.track(Promise.reject(new Error('store closed')), 'tier upgrade');
    work.track(tick(5), 'award sweep');
    await work.finish();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 50, msg: 'tier upgrade failed', err: { message: 'store closed' } });
    expect(work.pending).toBe(0);
  });

  it('finishes at once when nothing runs', async () => {
    const work = new BackgroundWork(capturingLogger().logger);
    await expect(work.finish()).resolves.toBe(true);
  });

  it('gives up waiting after the time it is given, and says so', async () => {
    const work = new BackgroundWork(capturingLogger().logger);
    work.track(new Promise(() => undefined), 'a sweep stuck on an unreachable database');
    work.track(tick(5), 'award sweep');
    await expect(work.finish(50)).resolves.toBe(false);
    expect(work.pending).toBe(1);
  });
});
