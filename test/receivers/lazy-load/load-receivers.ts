// Child process of lazy-load.test.ts: loads the implementations of the receiver types named on
// the command line, as `run` does for the types its config uses.
import { loadReceivers } from '../../../src/receivers/registry.ts';

await loadReceivers(process.argv.slice(2));
