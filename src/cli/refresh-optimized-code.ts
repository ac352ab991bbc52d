// A workaround for Node 20, measured but not fully understood; drop it with the move to Node 22 if
// callgrind no longer shows the path below.
//
// Node's own http and stream code calls process.nextTick about five times a request, and its tick
// object is an object literal with computed symbol keys. Counted with callgrind on `sentang serve`
// under the ledger benchmark's load, the server's optimised nextTick defined each of the object's
// four properties through V8's generic runtime path (Runtime_DefineKeyedOwnPropertyInLiteral,
// ~800 instructions each): ~23k of the HTTP thread's 169–176k instructions a request, in three
// runs out of three. A plain node:http server or a bare Fastify app under the same load does not.
// When Node's internals are optimised again once the server has been running for a while, this one
// mostly does not either: 152–154k instructions a request and none in that path in four runs out of
// five (README, benchmark history of 2026-12-06).
//
// Adding a property to `process` and deleting it again changes nothing anyone can see, but it
// changes the object's hidden class, and V8 throws away optimised code that assumed it would not
// (in callgrind, nextTick and the http server's functions ran unoptimised right after it) and
// optimises it again when it is next hot, with the type feedback of a running server. Why the
// first optimisation, made while the server starts, takes the slow path is not known.

/** Seconds after the server starts listening at which that optimised code is dropped. */
const refreshAfterSeconds = [5, 30, 120] as const;

const probeProperty = '__sentangRefreshOptimizedCode';

/** Drops V8's optimised code that depends on the shape of `process`, so that it is optimised again. */
export function refreshProcessDependentCode(): void {
  const host = process as unknown as Record<string, unknown>;
  host[probeProperty] = true;
  delete host[probeProperty];
}

/** Schedules the refreshes; their timers do not keep the process alive. */
export function scheduleOptimizedCodeRefreshes(): void {
  for (const seconds of refreshAfterSeconds) setTimeout(refreshProcessDependentCode, seconds * 1000).unref();
}
