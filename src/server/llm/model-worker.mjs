// The model worker's entry: workers do not inherit the server's tsx loader, so register it here.
import { register } from 'tsx/esm/api';

register();
await import('./model-worker.ts');
