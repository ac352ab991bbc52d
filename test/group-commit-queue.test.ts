// The group commit queue (services/group-commit-queue.ts): what arrives together goes together,
// the next group goes to the store before the finished group's requests go on, and every item
// settles exactly once.
import { describe, expect, it } from 'vitest';
import { GroupCommitQueue, type Settled } from '../src/services/group-commit-queue';

/** A runner whose groups finish when the test says so. */
function manualRunner(maxConcurrentGroups: number) {
  const groups: { items: number[]; finish(outcomes: Settled<string>[]): void; fail(error: Error): void }[] = [];
  const log: string[] = [];
  return {
    groups,
    log,
    runner: {
      maxConcurrentGroups,
      run: (_merchantId: string, items: number[]) => new Promise<Settled<string>[]>((resolve, reject) => {
        log.push(`run ${items.join(',')}`);
        groups.push({ items, finish: resolve, fail: reject });
      }),
    },
  };
}

const ticks = () => new Promise((resolve) => setImmediate(resolve));

describe('GroupCommitQueue', () => {
  it('sends what arrived in one turn as one group, and the next group before the finished one’s items go on', async () => {
    const { runner, groups, log } = manualRunner(1);
    const queue = new GroupCommitQueue(runner, 100);
    const first = [1, 2, 3].map((n) => queue.submit('mer_a', n).then((value) => { log.push(`settled ${value}`); }));
    await ticks();
    expect(log).toEqual(['run 1,2,3']);
    const second = [4, 5].map((n) => queue.submit('mer_a', n).then((value) => { log.push(`settled ${value}`); }));
    await ticks();
    expect(log).toEqual(['run 1,2,3']); // one group at a time: 4 and 5 wait
    groups[0]?.finish([1, 2, 3].map((n) => ({ ok: true, value: `v${n}` })));
    await Promise.all(first);
    expect(log).toEqual(['run 1,2,3', 'run 4,5', 'settled v1', 'settled v2', 'settled v3']);
    groups[1]?.finish([{ ok: true, value: 'v4' }, { ok: false, error: new Error('no') }]);
    await expect(second[1]).rejects.toThrow('no');
    await second[0];
  });

  it('fails every item of a group whose runner throws, rejects an item left without an outcome, and then drains', async () => {
    const { runner, groups } = manualRunner(2);
    const queue = new GroupCommitQueue(runner, 100);
    const failing = [queue.submit('mer_a', 1), queue.submit('mer_a', 2)];
    await ticks();
    const short = [queue.submit('mer_b', 3), queue.submit('mer_b', 4)];
    await ticks();
    expect(groups.map((group) => group.items)).toEqual([[1, 2], [3, 4]]);
    const drained = queue.drain();
    groups[0]?.fail(new Error('store down'));
    groups[1]?.finish([{ ok: true, value: 'v3' }]);
    await expect(Promise.all(failing.map((p) => p.catch((error: Error) => error.message)))).resolves.toEqual(['store down', 'store down']);
    await expect(short[0]).resolves.toBe('v3');
    await expect(short[1]).rejects.toThrow('no outcome');
    await drained;
  });

  it('caps a group by weight and takes merchants in turn', async () => {
    const { runner, groups } = manualRunner(1);
    const queue = new GroupCommitQueue(runner, 3);
    const all = [1, 2, 3, 4].map((n) => queue.submit('mer_a', n)).concat([queue.submit('mer_b', 9)]);
    await ticks();
    for (let round = 0; round < 3; round += 1) {
      const group = groups[round];
      group?.finish(group.items.map((n) => ({ ok: true, value: `v${n}` })));
      await ticks();
    }
    expect(groups.map((group) => group.items)).toEqual([[1, 2, 3], [9], [4]]);
    await expect(Promise.all(all)).resolves.toEqual(['v1', 'v2', 'v3', 'v4', 'v9']);
  });

  it('sends a second group beside a running one only when it is heavy enough', async () => {
    const { runner, groups } = manualRunner(2);
    const queue = new GroupCommitQueue({ ...runner, minWeightBesideRunning: 3 }, 100);
    const settled: Promise<string>[] = [queue.submit('mer_a', 1)];
    await ticks();
    settled.push(queue.submit('mer_a', 2), queue.submit('mer_a', 3));
    await ticks();
    expect(groups.map((group) => group.items)).toEqual([[1]]); // two light ones wait
    settled.push(queue.submit('mer_a', 4));
    await ticks();
    expect(groups.map((group) => group.items)).toEqual([[1], [2, 3, 4]]); // three may go beside it
    settled.push(queue.submit('mer_a', 5));
    await ticks();
    groups[0]?.finish([{ ok: true, value: 'v1' }]);
    await ticks();
    expect(groups).toHaveLength(2); // [2, 3, 4] still runs: 5 alone is too light to go beside it
    groups[1]?.finish([2, 3, 4].map((n) => ({ ok: true, value: `v${n}` })));
    await ticks();
    expect(groups.map((group) => group.items)).toEqual([[1], [2, 3, 4], [5]]); // nothing runs: any group goes
    groups[2]?.finish([{ ok: true, value: 'v5' }]);
    await expect(Promise.all(settled)).resolves.toEqual(['v1', 'v2', 'v3', 'v4', 'v5']);
  });
});
