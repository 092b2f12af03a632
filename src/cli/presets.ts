import { listPresets } from '../route/presets.ts';
import type { CliArgs } from './args.ts';
import type { ExitCode } from './main.ts';

export function runPresets(args: CliArgs): ExitCode {
  const presets = listPresets();
  if (args.output === 'json') {
    process.stdout.write(`${presets.map((p) => JSON.stringify(p)).join('\n')}\n`);
    return 0;
  }
  const width = Math.max(...presets.map((p) => p.name.length));
  process.stdout.write(`${presets.map((p) => `${p.name.padEnd(width)}  ${p.description}`).join('\n')}\n`);
  return 0;
}
