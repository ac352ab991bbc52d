import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WriteTurn } from '../src/store/sqlite-driver';

describe('write turns between the threads of one process', () => {
  it('waits while another holds the turn and goes the moment it is given back', async () => {
    const turn = new WriteTurn();
    // Another thread takes the turn, holds it for 300 ms, gives it back and says when.
    const holder = new Worker(`
      const { workerData, parentPort } = require('node:worker_threads');
      const word = new Int32Array(workerData);
      Atomics.store(word, 0, 1);
      parentPort.postMessage('taken');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
      parentPort.postMessage(performance.timeOrigin + performance.now());
      Atomics.store(word, 0, 0);
      Atomics.notify(word, 0, 1);
    `, { eval: true, workerData: turn.buffer });
    const messages: unknown[] = [];
    holder.on('message', (message) => messages.push(message));
    await new Promise<void>((resolve) => holder.once('message', () => resolve()));
    turn.take();
    const gotAtMs = performance.timeOrigin + performance.now();
    await new Promise((resolve) => holder.once('exit', resolve));
    const givenBackAtMs = messages[1] as number;
    expect(gotAtMs).toBeGreaterThanOrEqual(givenBackAtMs);
    turn.giveBack();
    expect(Atomics.load(new Int32Array(turn.buffer), 0)).toBe(0);
    // A turn never given back (its thread died) is taken over after the timeout, and stays usable.
    const word = new Int32Array(turn.buffer);
    Atomics.store(word, 0, 1);
    const other = new WriteTurn(turn.buffer, 50);
    other.take();
    expect(Atomics.load(word, 0)).toBe(1);
    other.giveBack();
    expect(Atomics.load(word, 0)).toBe(0);
    other.take();
    other.giveBack();
    // Giving back a turn one does not hold changes nothing.
    Atomics.store(word, 0, 1);
    other.giveBack();
    expect(Atomics.load(word, 0)).toBe(1);
  });
});
