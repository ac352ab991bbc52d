// V8 watches the object and array literals of hot code, and when most objects of one literal are
// still alive at a young-generation collection it starts making that literal's objects directly in
// the old generation ("pretenuring"). For a server that is the wrong guess: a request's objects
// are alive when a collection happens to fall inside the request, and dead a few milliseconds
// later. Under the ledger benchmark's load V8 pretenured literals of Node's own http and stream
// code in about one run of three, and never took it back (a pretenured literal's objects no longer
// report whether they survive). Pretenured objects that die in the old generation hold the young
// objects they point to alive through every young collection until the next full one, so each
// request's header strings, write buffers and tick objects got promoted too: the HTTP thread then
// promoted ~30 MB a second instead of ~0.25, spent 1.0–1.4 s of each 12 s in young-generation
// pauses instead of ~0.2 s (each pause 6–15 ms instead of ~1.5), and ran full collections every
// few seconds. What it costs: the ledger writer's kept lots, which do live long, are now copied
// through the young generation (~40 ms more pauses in 12 s, 4% more instructions a command).
// bench/HISTORY.md, 2026-12-06, night.
//
// The flag is read when V8 processes its feedback at each collection, so setting it here, before
// the HTTP stack is loaded, is early enough; the worker threads share it.
import v8 from 'node:v8';

/** Stops V8 from allocating the objects of any literal in the old generation because of feedback. */
export function disableAllocationSitePretenuring(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
