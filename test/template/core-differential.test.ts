// Core text/template cases (builtins only) against Go 1.19's output.
// Regenerate the goldens after editing cases/core-cases.json (needs Go + sprig in GOPATH):
//   tools/gen-template-golden.sh
import { fileURLToPath } from 'node:url';
import { runDifferentialCases } from './differential.ts';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

runDifferentialCases(here('./cases/core-cases.json'), here('./golden/core-cases.golden.json'), new Map());
