import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseCliArgs, UsageError } from '../../src/cli/args.ts';
import { COMMAND_SPECS, COMMANDS } from '../../src/cli/commands.ts';
import { EXIT_DEAD_LETTERED } from '../../src/cli/exit-codes.ts';
import { commandHelp } from '../../src/cli/help.ts';
import { OPTIONS } from '../../src/cli/options.ts';
import { cli, ROOT } from './cli-process.ts';

const VERSION = (JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')) as { version: string }).version;

/** Splits an example as a shell would (single quotes only, which is all the examples use). */
function shellWords(line: string): string[] {
  return [...line.matchAll(/'([^']*)'|(\S+)/g)].map((m) => m[1] ?? m[2] ?? '');
}

describe('CLI version and help', () => {
  it('prints the version for --version, -V and version, with any command', () => {
    for (const args of [['--version'], ['-V'], ['check', '--version']]) {
      const run = cli(args);
      assert.equal(run.status, 0, `${args.join(' ')}: ${run.stderr}`);
      assert.equal(run.stdout, `kube-event-router ${VERSION}\n`);
      assert.equal(run.stderr, '');
    }
    assert.equal(parseCliArgs(['version']).command, 'version');
  });

  it("prints a command's own usage, options and examples for COMMAND --help", () => {
    const run = cli(['render', '--help']);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, commandHelp('render'));
    assert.match(
      run.stdout,
      /^Usage: kube-event-router render -c FILE --receiver NAME \(--events FILE\|- \| --demo\)/,
    );
    assert.match(run.stdout, /^ {6}--demo {12}Use the built-in demo scenario/m);
    assert.match(
      run.stdout,
      /^Example:\n {2}kube-event-router render -c config\.example\.yaml --receiver oncall --demo$/m,
    );
  });

  it('gives each command its own help, for COMMAND --help and help COMMAND alike', () => {
    const seen = new Set<string>();
    for (const command of COMMANDS) {
      for (const argv of [
        [command, '--help'],
        [command, '-h'],
        ['help', command],
      ])
        assert.deepEqual(
          parseCliArgs(argv),
          { ...parseCliArgs(['help', command]), helpFor: command },
          argv.join(' '),
        );
      const text = commandHelp(command);
      assert.match(text, new RegExp(`^Usage: kube-event-router ${command}\\b`));
      for (const option of COMMAND_SPECS[command].options) assert.match(text, new RegExp(`--${option}\\b`));
      for (const example of COMMAND_SPECS[command].examples) assert.ok(text.includes(`  ${example}\n`));
      assert.ok(!seen.has(text), `${command} has its own help`);
      seen.add(text);
    }
    assert.equal(parseCliArgs(['--help']).helpFor, undefined);
    assert.equal(parseCliArgs([]).helpFor, undefined);
  });

  it("lists every option a command takes in that command's usage line", () => {
    for (const command of COMMANDS)
      for (const option of COMMAND_SPECS[command].options) {
        const { short } = OPTIONS[option];
        const forms = [`--${option}`, ...(short === undefined ? [] : [`-${short} `])];
        assert.ok(
          forms.some((form) => COMMAND_SPECS[command].usage.includes(form)),
          `${command} usage lacks --${option}`,
        );
      }
    assert.match(COMMAND_SPECS.render.usage, /--demo/);
  });

  it('gives examples that the parser accepts', () => {
    for (const command of COMMANDS)
      for (const example of COMMAND_SPECS[command].examples) {
        const words = shellWords(example.slice(example.indexOf('kube-event-router ')));
        const args = parseCliArgs(words.slice(1));
        assert.equal(
          args.command === 'help' ? args.helpFor : args.command,
          command === 'help' ? 'render' : command,
        );
      }
  });

  it('refuses unknown options and options of another command in our words', () => {
    const cases: { args: string[]; message: string }[] = [
      { args: ['--frobnicate'], message: 'unknown option "--frobnicate"' },
      { args: ['check', '-c', 'x.yaml', '--events', 'e.json'], message: 'check does not take --events' },
      { args: ['route-test', '-c'], message: '-c needs a value (FILE)' },
      { args: ['presets', '--demo=yes'], message: '--demo takes no value, got "yes"' },
      { args: ['check', '-c', '--debug'], message: '-c needs a value, got the option "--debug"' },
      { args: ['help', 'frob'], message: 'unknown command "frob"' },
    ];
    for (const { args, message } of cases)
      assert.throws(() => parseCliArgs(args), { name: 'UsageError', message }, args.join(' '));
  });

  it('says so in one line with balanced quotes, the usage and where to find help, exit 2', () => {
    const run = cli(['--version=1']);
    assert.equal(run.status, 2);
    assert.equal(
      run.stderr,
      'kube-event-router: --version takes no value, got "1"\nUsage: kube-event-router <command> [options]\nSee "kube-event-router --help".\n',
    );
    const render = cli(['render', '-c', 'config.example.yaml', '--frob']);
    assert.equal(render.status, 2);
    assert.match(
      render.stderr,
      /^kube-event-router: unknown option "--frob"\nUsage: kube-event-router render -c FILE/,
    );
  });

  it('names the command in the usage shown for its errors', () => {
    assert.throws(
      () => parseCliArgs(['render', '-c', 'x.yaml', '--demo']),
      (err: unknown) =>
        err instanceof UsageError && err.command === 'render' && /--receiver/.test(err.message),
    );
  });
  // run --help once said 1 while run exits 3 (the code the SIGTERM test and the README expect).
  it("states run's dead-letter exit code as run returns it, in run --help and the README", () => {
    const help = commandHelp('run').replace(/\s+/g, ' ');
    assert.match(help, new RegExp(`dead-lettered, ${EXIT_DEAD_LETTERED} if any was dead-lettered\\)`));
    const readme = readFileSync(`${ROOT}/README.md`, 'utf8').replace(/\s+#?\s*/g, ' ');
    assert.match(readme, new RegExp(`with ${EXIT_DEAD_LETTERED} if any was dead-lettered`));
  });
});
