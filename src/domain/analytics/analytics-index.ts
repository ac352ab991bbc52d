// One merchant's people and events held in columns, so funnels, retention and flows scan memory
// instead of querying rows. The store stays the source of truth: the index is rebuilt from it on
// start and kept current by appending what was stored since (services/analytics/refresh-index.ts).
import { GrowableColumn, Dictionary } from './columns';
import { touchKey, type Touch } from './channels';

export type PropertyValue = string | number | boolean | null;

/** A top-level event property, dictionary-encoded: one small integer per event, 0 when absent. */
export interface PropertyColumn {
  dictionary: Dictionary<PropertyValue>;
  column: GrowableColumn<Int32Array>;
}

export interface IndexedEvent {
  personId: string;
  /** The track event's name, or `$page`, `$screen`, `$identify`, `$group`, `$alias` for other types. */
  name: string;
  timestampMs: number;
  properties: Record<string, unknown> | null;
  touch: Touch | null;
  /** An identify's traits. */
  traits: Record<string, unknown> | null;
}

export interface IndexedPerson {
  id: string;
  mergedIntoPersonId: string | null;
  memberId: string | null;
  firstSeenAtMs: number;
  lastSeenAtMs: number;
}

export function analyticsEventName(type: string, eventName: string | null): string {
  return type === 'track' ? (eventName ?? '') : `$${type}`;
}

function valueKey(value: unknown): [string, PropertyValue] {
  if (value === null || value === undefined) return ['n', null];
  // Kept in step with filters.ts indexedValue: objects and arrays are stored as JSON text.
  if (typeof value === 'string') return [`s${value}`, value];
  if (typeof value === 'number') return [`d${value}`, value];
  if (typeof value === 'boolean') return [value ? 'bt' : 'bf', value];
  const json = JSON.stringify(value);
  return [`s${json}`, json];
}

export class AnalyticsIndex {
  // People, by dense index.
  readonly personIds: string[] = [];
  private readonly personIndexes = new Map<string, number>();
  readonly mergedInto = new GrowableColumn(Int32Array, 1024, -1);
  readonly firstSeenAtMs = new GrowableColumn(Float64Array);
  readonly lastSeenAtMs = new GrowableColumn(Float64Array);
  readonly memberIds: (string | null)[] = [];
  /** Stage key → reached time per person (NaN: not reached). Only a root person's own stages count. */
  readonly stageReachedAtMs = new Map<string, GrowableColumn<Float64Array>>();
  /** The latest traits an identify gave each person (by event time). */
  readonly traits = new Map<number, { atMs: number; traits: Record<string, unknown> }>();
  /** Member id → tier key. */
  readonly tiers = new Map<string, string>();

  // Events, in the order they were loaded.
  readonly eventPerson = new GrowableColumn(Int32Array, 4096);
  readonly eventTimestampMs = new GrowableColumn(Float64Array, 4096);
  readonly eventName = new GrowableColumn(Int32Array, 4096);
  readonly eventTouch = new GrowableColumn(Int32Array, 4096);
  readonly names = new Dictionary<string>();
  readonly touches = new Dictionary<Touch>();
  readonly properties = new Map<string, PropertyColumn>();
  /** Bumped whenever a merge changes, so cached roots are recomputed. */
  mergeVersion = 0;
  /** Bumped whenever a person's row changes (seen times, member), so cached facts are recomputed. */
  peopleVersion = 0;
  /** Bumped whenever a stage time is written. */
  stagesVersion = 0;
  private rootsCache: { version: number; roots: Int32Array } | null = null;

  get personCount(): number {
    return this.personIds.length;
  }

  get eventCount(): number {
    return this.eventPerson.length;
  }

  personIndexOf(personId: string): number {
    let index = this.personIndexes.get(personId);
    if (index === undefined) {
      index = this.personIds.length;
      this.personIds.push(personId);
      this.personIndexes.set(personId, index);
      this.mergedInto.push(-1);
      this.firstSeenAtMs.push(Number.POSITIVE_INFINITY);
      this.lastSeenAtMs.push(Number.NEGATIVE_INFINITY);
      this.memberIds.push(null);
      this.mergeVersion += 1;
    }
    return index;
  }

  findPerson(personId: string): number {
    return this.personIndexes.get(personId) ?? -1;
  }

  upsertPerson(person: IndexedPerson): number {
    const index = this.personIndexOf(person.id);
    const mergedInto = person.mergedIntoPersonId === null ? -1 : this.personIndexOf(person.mergedIntoPersonId);
    if (this.mergedInto.get(index) !== mergedInto) {
      this.mergedInto.set(index, mergedInto);
      this.mergeVersion += 1;
    }
    this.firstSeenAtMs.set(index, person.firstSeenAtMs);
    this.lastSeenAtMs.set(index, person.lastSeenAtMs);
    this.memberIds[index] = person.memberId;
    this.peopleVersion += 1;
    return index;
  }

  /** Replaces a person's reached stages with what the store holds now. */
  setStages(personId: string, stages: readonly { stageKey: string; reachedAtMs: number }[]): void {
    const index = this.personIndexOf(personId);
    for (const column of this.stageReachedAtMs.values()) if (index < column.length) column.set(index, Number.NaN);
    for (const stage of stages) this.stageColumn(stage.stageKey).set(index, stage.reachedAtMs);
    this.stagesVersion += 1;
  }

  /** Records one stage time (the initial load, row by row). */
  setStage(personId: string, stageKey: string, reachedAtMs: number): void {
    this.stageColumn(stageKey).set(this.personIndexOf(personId), reachedAtMs);
    this.stagesVersion += 1;
  }

  stageColumn(stageKey: string): GrowableColumn<Float64Array> {
    let column = this.stageReachedAtMs.get(stageKey);
    if (!column) {
      column = new GrowableColumn(Float64Array, 1024, Number.NaN);
      this.stageReachedAtMs.set(stageKey, column);
    }
    return column;
  }

  appendEvent(event: IndexedEvent): number {
    const person = this.personIndexOf(event.personId);
    const row = this.eventPerson.push(person);
    this.eventTimestampMs.push(event.timestampMs);
    this.eventName.push(this.names.idOf(event.name, event.name));
    this.eventTouch.push(event.touch ? this.touches.idOf(touchKey(event.touch), event.touch) : 0);
    if (event.properties) {
      for (const key of Object.keys(event.properties)) {
        let property = this.properties.get(key);
        if (!property) {
          property = { dictionary: new Dictionary<PropertyValue>(), column: new GrowableColumn(Int32Array, 4096) };
          this.properties.set(key, property);
        }
        const [encoded, value] = valueKey(event.properties[key]);
        property.column.set(row, property.dictionary.idOf(encoded, value));
      }
    }
    if (event.traits) this.rememberTraits(person, event.timestampMs, event.traits);
    return row;
  }

  private rememberTraits(person: number, atMs: number, traits: Record<string, unknown>): void {
    const known = this.traits.get(person);
    if (!known || known.atMs <= atMs) this.traits.set(person, { atMs, traits: { ...known?.traits, ...traits } });
    else this.traits.set(person, { atMs: known.atMs, traits: { ...traits, ...known.traits } });
  }

  /** The dictionary id of an event's property (0 when the event lacks it). */
  propertyIdAt(key: string, row: number): number {
    const property = this.properties.get(key);
    return property && row < property.column.length ? property.column.get(row) : 0;
  }

  /** Each person's root: the person everyone merged into ends at (themselves when not merged). */
  roots(): Int32Array {
    if (this.rootsCache?.version === this.mergeVersion && this.rootsCache.roots.length === this.personCount) return this.rootsCache.roots;
    const merged = this.mergedInto.values;
    const roots = new Int32Array(this.personCount);
    for (let person = 0; person < roots.length; person += 1) {
      let root = person;
      // Merges never form cycles in the store; the hop limit keeps a corrupt row from hanging a query.
      for (let hops = 0; (merged[root] as number) !== -1 && hops < 64; hops += 1) root = merged[root] as number;
      roots[person] = root;
    }
    this.rootsCache = { version: this.mergeVersion, roots };
    return roots;
  }

  /** A root person's traits, merged over everyone who merged into them (the latest identify wins). */
  traitsOfRoots(): Map<number, Record<string, unknown>> {
    const roots = this.roots();
    const byRoot = new Map<number, { atMs: number; traits: Record<string, unknown> }>();
    const entries = [...this.traits.entries()].sort((a, b) => a[1].atMs - b[1].atMs);
    for (const [person, { atMs, traits }] of entries) {
      const root = roots[person] as number;
      const known = byRoot.get(root);
      byRoot.set(root, { atMs, traits: { ...known?.traits, ...traits } });
    }
    return new Map([...byRoot].map(([root, value]) => [root, value.traits]));
  }
}
