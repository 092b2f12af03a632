// Tests build receivers synchronously, as the app does once the implementations are loaded:
// every receiver type is imported once, here, for the test files that import createReceiver.
import { SUPPORTED_RECEIVER_TYPES, createReceiver, loadReceivers } from '../../src/receivers/registry.ts';

await loadReceivers(SUPPORTED_RECEIVER_TYPES);

export { createReceiver };
