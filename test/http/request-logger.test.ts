// Fastify makes a logger for every request; ours becomes pino's child logger, bound to the request
// id, only when something is logged through it.
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { LazyRequestLogger } from '../../src/http/request-logger';

function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('LazyRequestLogger', () => {
  it('makes no child until something is logged, then logs with the request id and the arguments as given', () => {
    const { logger, lines } = capturingLogger();
    let children = 0;
    const child = logger.child.bind(logger);
    logger.child = ((...args: Parameters<typeof logger.child>) => { children += 1; return child(...args); }) as typeof logger.child;
    const requestLogger = new LazyRequestLogger(logger, { reqId: 'req-7' }, {});
    expect(children).toBe(0);
    expect(requestLogger.level).toBe('info');

    requestLogger.error({ err: new Error('disk full') }, 'the database cannot take requests');
    requestLogger.info('plain %s', 'text');
    requestLogger.debug('below the level');
    expect(children).toBe(1);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 50, reqId: 'req-7', msg: 'the database cannot take requests', err: { message: 'disk full' } });
    expect(lines[1]).toMatchObject({ level: 30, reqId: 'req-7', msg: 'plain text' });
  });

  it('takes a level of its own, and makes children of its child', () => {
    const { logger, lines } = capturingLogger();
    const requestLogger = new LazyRequestLogger(logger, { reqId: 'req-8' }, { level: 'warn' });
    expect(requestLogger.level).toBe('warn');
    requestLogger.info('dropped');
    requestLogger.level = 'debug';
    requestLogger.debug('kept');
    requestLogger.child({ step: 'inner' }).warn('nested');
    expect(lines.map((line) => [line.msg, line.reqId, line.step])).toEqual([['kept', 'req-8', undefined], ['nested', 'req-8', 'inner']]);
  });
});
