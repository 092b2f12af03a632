import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { REDACTED, isSecretKey, redactDeep, redactText, redactUrl } from '../../src/telemetry/redact.ts';

describe('redactUrl', () => {
  const cases: [string, string][] = [
    ['https://user:pa55@es.example.com:9200/_bulk', `https://${REDACTED}@es.example.com:9200/_bulk`],
    ['https://token@api.example.com/', `https://${REDACTED}@api.example.com/`],
    ['https://api.example.com/v1?token=abc&x=1', `https://api.example.com/v1?token=${REDACTED}&x=1`],
    ['https://api.example.com/v1?access_token=abc', `https://api.example.com/v1?access_token=${REDACTED}`],
    [
      'https://api.example.com/v1?api-key=abc&sig=s',
      `https://api.example.com/v1?api-key=${REDACTED}&sig=${REDACTED}`,
    ],
    ['https://maps.example.com/?key=abc#frag', `https://maps.example.com/?key=${REDACTED}#frag`],
    ['https://hooks.slack.com/services/T000/B000/XXXXSECRET', `https://hooks.slack.com/services/${REDACTED}`],
    ['https://discord.com/api/webhooks/123/tok', `https://discord.com/api/webhooks/${REDACTED}`],
    [
      'http://alert-bridge.monitoring.svc:8080/v1/events',
      'http://alert-bridge.monitoring.svc:8080/v1/events',
    ],
    ['https://api.example.com/v1?page=2', 'https://api.example.com/v1?page=2'],
    ['not a url //u:p@host', `not a url //${REDACTED}@host`],
  ];
  for (const [input, expected] of cases) {
    it(input, () => assert.equal(redactUrl(input), expected));
  }
});

describe('isSecretKey', () => {
  const cases: [string, boolean][] = [
    ['token', true],
    ['apiKey', true],
    ['api_key', true],
    ['X-Api-Key', true],
    ['Authorization', true],
    ['proxy-authorization', true],
    ['password', true],
    ['db_password', true],
    ['bearerToken', true],
    ['clientSecret', true],
    ['routingKey', true],
    ['cookie', true],
    ['receiver', false],
    ['endpoint', false],
    ['keyFile', false],
    ['reason', false],
    ['key', false],
  ];
  for (const [key, secret] of cases) {
    it(`${key} → ${secret}`, () => assert.equal(isSecretKey(key), secret));
  }
});

describe('redactText', () => {
  it('redacts every URL and bearer credential in free text', () => {
    const text =
      'POST https://u:p@a.example/x failed; retry https://b.example/?token=t with Authorization: Bearer abcdefgh12345';
    const out = redactText(text);
    assert.equal(
      out,
      `POST https://${REDACTED}@a.example/x failed; retry https://b.example/?token=${REDACTED} with Authorization: Bearer ${REDACTED}`,
    );
  });
  it('leaves text without secrets alone', () => {
    assert.equal(
      redactText('Back-off restarting failed container.'),
      'Back-off restarting failed container.',
    );
  });
});

describe('redactDeep', () => {
  it('redacts secret keys at any depth, all header values, URLs in strings, and errors', () => {
    const err = Object.assign(new Error('GET https://x:y@h.example/ failed'), {
      code: 'E_SEND',
      apiKey: 'k1',
    });
    const input = {
      a: { b: { c: { d: { password: 'p1', endpoint: 'https://u:p2@h.example/' } } } },
      list: [{ token: 't1' }, 'https://h.example/?token=t2'],
      headers: { 'X-Custom': 'c1', 'Content-Type': 'application/json' },
      err,
      url: new URL('https://u:p3@h.example/'),
      empty: { token: '' },
    };
    const out = JSON.stringify(redactDeep(input));
    for (const secret of ['p1', 'p2', 't1', 't2', 'c1', 'k1', 'x:y', 'p3'])
      assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
    assert.ok(out.includes('"code":"E_SEND"'));
    assert.ok(out.includes('"type":"Error"'));
    assert.ok(out.includes('"token":""'), 'an empty value is not a secret and stays visible');
    assert.equal((input.a.b.c.d as { password: string }).password, 'p1', 'input not modified');
  });
  it('survives cycles and deep nesting', () => {
    const cyclic: Record<string, unknown> = { name: 'x' };
    cyclic.self = cyclic;
    assert.deepEqual(redactDeep(cyclic), { name: 'x', self: '[Circular]' });
    let deep: Record<string, unknown> = { token: 'deep' };
    for (let i = 0; i < 30; i++) deep = { next: deep };
    assert.ok(!JSON.stringify(redactDeep(deep)).includes('deep'));
  });
});
