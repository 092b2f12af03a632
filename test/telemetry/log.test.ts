import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { createLogger } from '../../src/telemetry/log.ts';
import type { LoggerOptions } from '../../src/telemetry/log.ts';

function collector(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((line) => line !== ''),
      );
      done();
    },
  });
  return { lines, stream };
}

function jsonLogger(level: LoggerOptions['level'] = 'info') {
  const out = collector();
  const logger = createLogger({ level, format: 'json', destination: out.stream, base: null });
  const records = () => out.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  return { logger, records, lines: out.lines };
}

const SECRETS = [
  's3cr3t-token',
  'genie-key-1',
  'hunter2',
  'bearer-value-1',
  'userpass',
  'query-tok',
  'T0/B0/HOOK',
];

// Shaped like a loaded config: secrets arrive after ${VAR} expansion in receiver options.
const config = {
  logLevel: 'info',
  receivers: [
    {
      name: 'alerts',
      webhook: {
        endpoint: 'https://bot:userpass@hooks.example.com/in?token=query-tok',
        headers: { Authorization: 'Bearer bearer-value-1' },
      },
    },
    { name: 'opsgenie', opsgenie: { apiKey: 'genie-key-1' } },
    { name: 'es', elasticsearch: { hosts: ['https://es:9200'], username: 'elastic', password: 'hunter2' } },
    {
      name: 'slack',
      slack: { token: 's3cr3t-token', webhook: 'https://hooks.slack.com/services/T0/B0/HOOK' },
    },
  ],
};

describe('createLogger', () => {
  it('writes JSON lines with a level label, an ISO time and the message', () => {
    const { logger, records } = jsonLogger();
    logger.info({ receiver: 'alerts' }, 'Receiver started.');
    const [record] = records();
    assert.equal(record?.level, 'info');
    assert.equal(record?.msg, 'Receiver started.');
    assert.equal(record?.receiver, 'alerts');
    assert.match(String(record?.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('never writes a secret of a logged config, at any depth', () => {
    const { logger, lines } = jsonLogger();
    logger.info({ config }, 'Config loaded.');
    logger.warn({ receiver: config.receivers[0] }, 'Receiver unreachable.');
    logger.child({ options: config.receivers[3] }).info('Child logger.');
    const text = lines.join('\n');
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked:\n${text}`);
    assert.ok(text.includes('[Redacted]'));
    assert.ok(text.includes('hooks.example.com/in'), 'the non-secret part of the URL stays');
    assert.ok(text.includes('"username":"elastic"'), 'non-secret fields stay');
  });

  it('redacts errors (message, stack, own fields) and URLs in the message', () => {
    const { logger, lines, records } = jsonLogger();
    const err = Object.assign(new Error('POST https://bot:userpass@hooks.example.com/in failed'), {
      code: 'E_SEND',
      token: 's3cr3t-token',
    });
    logger.error({ err, receiver: 'alerts' }, 'Send failed.');
    logger.error(err);
    logger.warn('Retrying https://hooks.example.com/in?token=query-tok.');
    const text = lines.join('\n');
    for (const secret of SECRETS) assert.ok(!text.includes(secret), `${secret} leaked:\n${text}`);
    const first = records()[0]?.err as Record<string, unknown>;
    assert.equal(first.type, 'Error');
    assert.equal(first.code, 'E_SEND');
    assert.equal(records()[1]?.msg, 'POST https://[Redacted]@hooks.example.com/in failed');
  });

  it('leaves stack traces out of logged errors unless asked for (run --debug)', () => {
    const err = new Error('Send failed', { cause: new Error('socket hang up') });
    const plain = jsonLogger();
    plain.logger.error({ err }, 'Send failed.');
    const logged = plain.records()[0]?.err as Record<string, unknown>;
    assert.equal(logged.message, 'Send failed');
    assert.equal('stack' in logged, false);
    assert.doesNotMatch(plain.lines.join('\n'), /\bat .*\.ts:\d+/);
    const lines: string[] = [];
    const debug = createLogger({
      level: 'info',
      format: 'json',
      stacks: true,
      destination: new Writable({
        write: (chunk: Buffer, _e, done) => (lines.push(chunk.toString()), done()),
      }),
    });
    debug.error({ err }, 'Send failed.');
    assert.match(lines.join(''), /"stack":"Error: Send failed\\n {4}at /);
  });

  const levels: [LoggerOptions['level'], string[]][] = [
    ['debug', ['debug', 'info', 'warn', 'error']],
    ['warn', ['warn', 'error']],
    ['panic', ['fatal']],
    ['silent', []],
  ];
  for (const [level, expected] of levels) {
    it(`level ${level} writes ${expected.join(', ') || 'nothing'}`, () => {
      const { logger, records } = jsonLogger(level);
      logger.debug('D.');
      logger.info('I.');
      logger.warn('W.');
      logger.error('E.');
      logger.fatal('F.');
      const written = records().map((r) => r.level);
      assert.deepEqual(
        written,
        level === 'panic' ? ['fatal'] : [...expected, ...(expected.length > 0 ? ['fatal'] : [])],
      );
    });
  }

  it('pretty format writes readable, redacted lines', () => {
    const out = collector();
    const logger = createLogger({ level: 'info', format: 'pretty', destination: out.stream });
    logger.warn({ receiver: 'alerts', token: 's3cr3t-token' }, 'Receiver slow.');
    const text = out.lines.join('\n');
    assert.match(text, /WARN.*: Receiver slow\./);
    assert.match(text, /receiver: "alerts"/);
    assert.ok(!text.includes('s3cr3t-token'));
    assert.ok(!text.trimStart().startsWith('{'), 'not JSON');
  });
});
