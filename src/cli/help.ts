import { type Command, COMMAND_SPECS, COMMANDS, GLOBAL_OPTIONS } from './commands.ts';
import { type OptionName, OPTIONS, optionSignature } from './options.ts';

const PROGRAM = 'kube-event-router';
const SIGNATURE_WIDTH = 24;

function optionLines(names: readonly OptionName[]): string[] {
  const lines: string[] = [];
  for (const name of names) {
    const signature = `  ${optionSignature(name)}`;
    const [first = '', ...rest] = OPTIONS[name].help;
    const pad = ' '.repeat(SIGNATURE_WIDTH);
    if (signature.length < SIGNATURE_WIDTH) lines.push(`${signature.padEnd(SIGNATURE_WIDTH)}${first}`);
    else lines.push(signature, `${pad}${first}`);
    for (const line of rest) lines.push(`${pad}${line}`);
  }
  return lines;
}

export function usageLine(command: Command): string {
  const { usage } = COMMAND_SPECS[command];
  return `${PROGRAM} ${command}${usage === '' ? '' : ` ${usage}`}`;
}

/** The help for no command: every command's usage, then the global options. */
export function globalHelp(): string {
  const lines = [`Usage: ${PROGRAM} <command> [options]`, '', 'Commands:'];
  for (const command of COMMANDS) {
    lines.push(`  ${usageLine(command)}`, `      ${COMMAND_SPECS[command].summary}`);
  }
  lines.push('', 'Options for every command:', ...optionLines(GLOBAL_OPTIONS));
  lines.push('', `Run "${PROGRAM} COMMAND --help" for a command's options and examples.`);
  return `${lines.join('\n')}\n`;
}

/** One command's usage, options and examples. */
export function commandHelp(command: Command): string {
  const spec = COMMAND_SPECS[command];
  const lines = [`Usage: ${usageLine(command)}`, '', spec.summary];
  if (spec.options.length > 0) lines.push('', 'Options:', ...optionLines(spec.options));
  lines.push('', 'Options for every command:', ...optionLines(GLOBAL_OPTIONS));
  lines.push('', spec.examples.length === 1 ? 'Example:' : 'Examples:');
  lines.push(...spec.examples.map((example) => `  ${example}`));
  return `${lines.join('\n')}\n`;
}
