// Append-only typed columns for the analytics index: millions of rows in flat memory, no objects.

type TypedArray = Int32Array | Float64Array | Uint8Array;
type TypedArrayConstructor<T extends TypedArray> = { new (length: number): T };

export class GrowableColumn<T extends TypedArray> {
  private data: T;
  length = 0;

  constructor(private readonly Kind: TypedArrayConstructor<T>, initialCapacity = 1024, private readonly fill = 0) {
    this.data = new Kind(initialCapacity);
    if (fill !== 0) this.data.fill(fill as never);
  }

  /** The live rows; valid until the next push. */
  get values(): T {
    return this.data.subarray(0, this.length) as T;
  }

  get(index: number): number {
    return this.data[index] as number;
  }

  set(index: number, value: number): void {
    this.ensure(index + 1);
    this.data[index] = value;
    if (index >= this.length) this.length = index + 1;
  }

  push(value: number): number {
    this.ensure(this.length + 1);
    this.data[this.length] = value;
    return this.length++;
  }

  /** Makes the column at least `length` rows long; the new rows hold the fill value. */
  padTo(length: number): void {
    this.ensure(length);
    if (length > this.length) this.length = length;
  }

  /** Grows to hold at least `length` rows; new rows hold the fill value. */
  ensure(length: number): void {
    if (length <= this.data.length) return;
    let capacity = this.data.length * 2;
    while (capacity < length) capacity *= 2;
    const next = new this.Kind(capacity);
    if (this.fill !== 0) next.fill(this.fill as never);
    next.set(this.data);
    this.data = next;
  }
}

/** Strings to small integers and back (event names, property values, touches). 0 is reserved for "none". */
export class Dictionary<V = string> {
  private readonly ids = new Map<string, number>();
  readonly values: (V | null)[] = [null];

  idOf(key: string, value: V): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(key, id);
      this.values.push(value);
    }
    return id;
  }

  find(key: string): number {
    return this.ids.get(key) ?? 0;
  }

  get size(): number {
    return this.values.length;
  }
}
