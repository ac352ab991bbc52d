import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { refreshProcessDependentCode } from '../src/cli/refresh-optimized-code';

describe('refreshing the optimised code that depends on process', () => {
  it('leaves process as it was, nextTick working', async () => {
    const keysBefore = Reflect.ownKeys(process);
    refreshProcessDependentCode();
    refreshProcessDependentCode();
    expect(Reflect.ownKeys(process)).toEqual(keysBefore);
    expect('__sentangRefreshOptimizedCode' in process).toBe(false);
    const ran = await new Promise<number>((resolve) => process.nextTick(resolve, 42));
    expect(ran).toBe(42);
  });

  it('does not keep a process alive that has nothing else to do', () => {
    // The last refresh is two minutes after start: a timer that held the process would make this
    // child outlive the 30 s it is given, and spawnSync would report it killed (status null).
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e',
      "import { scheduleOptimizedCodeRefreshes } from './src/cli/refresh-optimized-code.ts'; scheduleOptimizedCodeRefreshes(); console.log('scheduled');"], { encoding: 'utf8', timeout: 30_000 });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('scheduled');
    expect(child.status).toBe(0);
  });
});
