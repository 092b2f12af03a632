// sprig functions against real Go + sprig 3.2.3: every case must render Go's bytes
// (goldens: test/template/golden/sprig-cases.golden.json, regenerate with tools/template-goldens.sh).
import { fileURLToPath } from 'node:url';
import { createFunctionTable } from '../../src/go/sprig/functions.ts';
import { runDifferentialCases } from './differential.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

runDifferentialCases(
  here('./cases/sprig-cases.json'),
  here('./golden/sprig-cases.golden.json'),
  createFunctionTable(),
);
