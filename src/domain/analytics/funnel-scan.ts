// The per-person funnel scan. A person's events arrive sorted by (timestamp, arrival) as positions
// into shared columns; `stepMasks[p]` has bit k set when the event matches funnel step k and bit
// (exclusionBitBase + j) when it matches exclusion j. Pure and allocation-free in the hot loop.

export type FunnelOrder = 'ordered' | 'strict' | 'any';
export const maxFunnelSteps = 20;
export const exclusionBitBase = 20;
export const maxExclusions = 10;

export interface FunnelExclusion { fromStep: number; toStep: number }

export interface FunnelShape {
  stepCount: number;
  order: FunnelOrder;
  windowMs: number;
  /** The entry (first step) must happen in [entryStartMs, entryEndMs). */
  entryStartMs: number;
  entryEndMs: number;
  exclusions: readonly FunnelExclusion[];
}

export interface ScanColumns {
  timestampsMs: Float64Array;
  stepMasks: Uint32Array;
}

/**
 * The person's best attempt at the funnel over sorted positions [start, end): writes the position of
 * the event that completed each step into `stepPositions` (the step's own event for ordered and
 * strict funnels; the event at which k+1 distinct steps were done for any-order funnels) and returns
 * the number of steps reached: 0 when the person never entered, -1 when an exclusion removes them.
 * The best attempt reaches the most steps; among equals, the earliest entry wins.
 */
export function scanFunnel(shape: FunnelShape, columns: ScanColumns, start: number, end: number, stepPositions: Int32Array, scratch: Int32Array): number {
  const { timestampsMs, stepMasks } = columns;
  const full = shape.stepCount;
  let best = 0;
  for (let entry = start; entry < end; entry += 1) {
    const mask = stepMasks[entry] as number;
    const entryMs = timestampsMs[entry] as number;
    if (entryMs < shape.entryStartMs || entryMs >= shape.entryEndMs) continue;
    let reached: number;
    if (shape.order === 'any') {
      if ((mask & stepBits(full)) === 0) continue;
      reached = scanAnyOrder(shape, columns, entry, end, scratch);
    } else {
      if ((mask & 1) === 0) continue;
      reached = shape.order === 'ordered' ? scanOrdered(shape, columns, entry, end, scratch) : scanStrict(shape, columns, entry, end, scratch);
    }
    if (reached > best) {
      best = reached;
      for (let step = 0; step < reached; step += 1) stepPositions[step] = scratch[step] as number;
      if (best === full) break;
    }
  }
  if (best > 0 && shape.order !== 'any' && excluded(shape, stepMasks, stepPositions, best)) return -1;
  return best;
}

function stepBits(stepCount: number): number {
  return stepCount >= 32 ? 0xffffffff : (1 << stepCount) - 1;
}

function scanOrdered(shape: FunnelShape, { timestampsMs, stepMasks }: ScanColumns, entry: number, end: number, positions: Int32Array): number {
  const limitMs = (timestampsMs[entry] as number) + shape.windowMs;
  positions[0] = entry;
  let step = 1;
  for (let position = entry + 1; position < end && step < shape.stepCount; position += 1) {
    if ((timestampsMs[position] as number) > limitMs) break;
    if (((stepMasks[position] as number) >>> step) & 1) positions[step++] = position;
  }
  return step;
}

function scanStrict(shape: FunnelShape, { timestampsMs, stepMasks }: ScanColumns, entry: number, end: number, positions: Int32Array): number {
  const limitMs = (timestampsMs[entry] as number) + shape.windowMs;
  positions[0] = entry;
  let step = 1;
  for (let position = entry + 1; position < end && step < shape.stepCount; position += 1) {
    if ((timestampsMs[position] as number) > limitMs) break;
    if ((((stepMasks[position] as number) >>> step) & 1) === 0) break;
    positions[step++] = position;
  }
  return step;
}

function scanAnyOrder(shape: FunnelShape, { timestampsMs, stepMasks }: ScanColumns, entry: number, end: number, positions: Int32Array): number {
  const limitMs = (timestampsMs[entry] as number) + shape.windowMs;
  const all = stepBits(shape.stepCount);
  let done = 0;
  let reached = 0;
  for (let position = entry; position < end && reached < shape.stepCount; position += 1) {
    if (position > entry && (timestampsMs[position] as number) > limitMs) break;
    done |= (stepMasks[position] as number) & all;
    const count = popCount(done);
    while (reached < count) positions[reached++] = position;
  }
  return reached;
}

function popCount(value: number): number {
  let bits = value - ((value >>> 1) & 0x55555555);
  bits = (bits & 0x33333333) + ((bits >>> 2) & 0x33333333);
  return (((bits + (bits >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Did an exclusion event happen between the attempt's `fromStep` and `toStep` events? */
function excluded(shape: FunnelShape, stepMasks: Uint32Array, positions: Int32Array, reached: number): boolean {
  for (let index = 0; index < shape.exclusions.length; index += 1) {
    const exclusion = shape.exclusions[index] as FunnelExclusion;
    if (exclusion.toStep >= reached) continue;
    const bit = 1 << (exclusionBitBase + index);
    for (let position = (positions[exclusion.fromStep] as number) + 1; position < (positions[exclusion.toStep] as number); position += 1) {
      if ((stepMasks[position] as number) & bit) return true;
    }
  }
  return false;
}
