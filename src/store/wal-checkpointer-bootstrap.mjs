// Entry of the WAL checkpointer thread: registers tsx so the thread can load the TypeScript sources,
// however the main process itself was started.
import { register } from 'tsx/esm/api';

register();
await import('./wal-checkpointer-thread.ts');
