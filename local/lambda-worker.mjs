// Entry of the background worker thread: TypeScript through tsx, whatever started the parent
// (tsx, vitest), then the worker itself.
import { register } from 'tsx/esm/api';

register();
await import('./lambda-worker.ts');
