// Two array helpers for the ledger's hot path, where V8's own builtins cost more than the work
// they do. Counted with callgrind over the ledger writer's batches (see the README's benchmarks).

/**
 * `items.flatMap(map)` as a plain loop. V8's flatMap is a generic builtin that its optimizing
 * compiler does not inline: ~440 instructions an element, where the loop takes a few dozen, and a
 * ledger batch called it about twenty times.
 */
export function flatMapped<T, U>(items: Iterable<T>, map: (item: T) => readonly U[]): U[] {
  const result: U[] = [];
  for (const item of items) {
    for (const value of map(item)) result.push(value);
  }
  return result;
}

/**
 * `items.map(map)` into an array that stays packed. Once V8 optimizes a function, the `map` it
 * inlines makes a holey array, and JSON.stringify walks a holey array by its slow path, element by
 * element (~4,000 instructions for a command's two ledger entries). For arrays that are sent as JSON.
 */
export function packedMap<T, U>(items: readonly T[], map: (item: T) => U): U[] {
  const result: U[] = [];
  for (const item of items) result.push(map(item));
  return result;
}
