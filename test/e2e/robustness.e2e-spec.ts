import { createECDH, randomBytes } from 'node:crypto';
import { TestApp } from '../support/test-app';

/**
 * Walks every operation of the OpenAPI document with malformed input as an admin: no answer may be a 5xx,
 * and every 4xx must carry the error body. New endpoints are covered as soon as they are documented.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  allOf?: Schema[];
}
interface Operation {
  parameters?: { name: string; in: 'path' | 'query' | 'header' }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface Probe {
  label: string;
  method: string;
  url: string;
  payload?: string | Buffer;
  contentType?: string;
}

const ID_VARIANTS = [
  '1',
  '0',
  '-1',
  'abc',
  '1.5',
  '1e3',
  '0x10',
  '99999999999999999999',
  '9007199254740993',
  '2147483648',
  '%20',
  '%00',
  '%E0%A4%A',
  '__proto__',
  'null',
  'x'.repeat(5000),
];

const QUERY_VARIANTS = [
  '',
  'abc',
  '-1',
  '0',
  '1.5',
  '1e400',
  '99999999999999999999',
  'true',
  'null',
  '%00',
  'a\u0000b',
  'x'.repeat(5000),
  '[]',
  '{}',
];

const BAD_VALUES: [string, Json][] = [
  ['string', 'abc'],
  ['empty string', ''],
  ['long string', 'x'.repeat(100_000)],
  ['NUL character', 'a\u0000b'],
  ['negative', -1],
  ['zero', 0],
  ['fraction', 1.5],
  ['huge', 1e308],
  ['unsafe int', 2 ** 53 + 1],
  ['big negative', -1e308],
  ['true', true],
  ['null', null],
  ['array', []],
  ['array of numbers', [1, 2]],
  ['object', {}],
  ['nested object', { a: { b: 1 } }],
];

const RAW_BODIES: [string, string, string][] = [
  ['array', 'application/json', '[]'],
  ['array of objects', 'application/json', '[{}]'],
  ['string', 'application/json', '"text"'],
  ['number', 'application/json', '123'],
  ['null', 'application/json', 'null'],
  ['boolean', 'application/json', 'true'],
  ['empty object', 'application/json', '{}'],
  ['empty body', 'application/json', ''],
  ['broken JSON', 'application/json', '{"a":'],
  ['trailing garbage', 'application/json', '{} {}'],
  ['proto pollution', 'application/json', '{"__proto__":{"admin":true}}'],
  ['constructor pollution', 'application/json', '{"constructor":{"prototype":{"admin":true}}}'],
  ['unknown field', 'application/json', '{"definitelyNotAField":1}'],
  ['deep nesting', 'application/json', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
  ['deep array', 'application/json', '['.repeat(5000) + ']'.repeat(5000)],
  ['text/plain', 'text/plain', 'hello'],
  ['form', 'application/x-www-form-urlencoded', 'name=x&timeZone=Europe%2FBerlin'],
  ['xml', 'application/xml', '<a/>'],
  [
    'multipart',
    'multipart/form-data; boundary=x',
    '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--x--',
  ],
  ['no content type', '', '{"name":"x"}'],
  ['bad charset', 'application/json; charset=utf-7', '{}'],
  ['latin1 bytes', 'application/json', '{"name":"\xff\xfe"}'],
];

function resolve(doc: any, schema: Schema | undefined): Schema {
  if (!schema) return {};
  if (schema.$ref) return resolve(doc, doc.components.schemas[schema.$ref.split('/').pop()!]);
  if (schema.allOf) return Object.assign({}, ...schema.allOf.map((s) => resolve(doc, s)));
  return schema;
}

/** Every property path of a body schema, nested objects included (e.g. keys.p256dh). */
function propertyPaths(doc: any, schema: Schema, prefix: string[] = []): string[][] {
  return Object.entries(resolve(doc, schema).properties ?? {}).flatMap(([name, child]) => {
    const path = [...prefix, name];
    const resolved = resolve(doc, child);
    return resolved.type === 'object' || resolved.properties
      ? [path, ...propertyPaths(doc, resolved, path)]
      : [path];
  });
}

function withValue(path: string[], value: Json): Json {
  return path.reduceRight<Json>((inner, key) => ({ [key]: inner }), value);
}

function probesFor(doc: any, path: string, method: string, op: Operation): Probe[] {
  const upper = method.toUpperCase();
  const params = op.parameters ?? [];
  const pathParams = params.filter((p) => p.in === 'path').map((p) => p.name);
  const queryParams = params.filter((p) => p.in === 'query').map((p) => p.name);
  const fill = (value: string) => pathParams.reduce((url, name) => url.replace(`{${name}}`, value), path);
  const base = fill('1');
  const probes: Probe[] = [];

  for (const id of pathParams.length ? ID_VARIANTS : [])
    probes.push({ label: `id=${id.slice(0, 20)}`, method: upper, url: fill(id) });

  for (const name of queryParams) {
    for (const value of QUERY_VARIANTS) {
      probes.push({
        label: `?${name}=${value.slice(0, 20)}`,
        method: upper,
        url: `${base}?${name}=${encodeURIComponent(value)}`,
      });
    }
    probes.push({ label: `?${name} twice`, method: upper, url: `${base}?${name}=1&${name}=2` });
    probes.push({ label: `?${name}[]`, method: upper, url: `${base}?${name}[a]=1` });
  }
  probes.push({ label: 'unknown query field', method: upper, url: `${base}?definitelyNotAField=1` });
  probes.push({ label: 'raw bad query', method: upper, url: `${base}?%E0%A4%A=1&&=&a==b` });

  const schema = op.requestBody?.content?.['application/json']?.schema;
  const takesBody = ['POST', 'PUT', 'PATCH'].includes(upper);
  for (const [label, contentType, payload] of takesBody ? RAW_BODIES : RAW_BODIES.slice(0, 9)) {
    probes.push({ label: `body ${label}`, method: upper, url: base, payload, contentType });
  }
  if (takesBody) {
    probes.push({
      label: 'body over the size limit',
      method: upper,
      url: base,
      payload: Buffer.alloc(2 * 1024 * 1024, 'a'),
      contentType: 'application/json',
    });
  }
  for (const prop of schema ? propertyPaths(doc, schema) : []) {
    for (const [label, value] of BAD_VALUES) {
      probes.push({
        label: `${prop.join('.')}=${label}`,
        method: upper,
        url: base,
        payload: JSON.stringify(withValue(prop, value)),
        contentType: 'application/json',
      });
    }
  }
  return probes;
}

describe('robustness: malformed input on every documented operation', () => {
  let t: TestApp;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    t = await TestApp.start();
    // Row 1 exists in every table the API writes, so valid ids reach past the 404 into the handlers; the admin is not user 1.
    const client = await t.userWithToken('client');
    admin = await t.userWithToken('admin');
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const seeds = [
      await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: 'Seed', timeZone: 'Europe/Berlin' },
      }),
      await t.request('POST', '/api/v1/ad-templates', {
        token: admin.token,
        body: { name: 'Seed', textRu: 'р', textEn: 'e' },
      }),
      await t.request('PUT', '/api/v1/notification-settings', {
        token: admin.token,
        body: { eventType: 'broadcast', recipientRole: 'client', channel: 'telegram', enabled: true },
      }),
      await t.request('POST', '/api/v1/push-subscriptions', {
        token: client.token,
        body: {
          endpoint: 'https://fcm.googleapis.com/fcm/send/seed',
          keys: { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') },
        },
      }),
    ];
    expect(seeds.map((s) => [s.status, s.body.id])).toEqual([
      [201, 1],
      [201, 1],
      [200, 1],
      [201, 1],
    ]);
  });
  afterAll(() => t.stop());

  it('answers every probe with a 2xx or a well-formed 4xx, never a 5xx', async () => {
    const doc = (await t.request('GET', '/docs/json')).body;
    const operations = Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(
      ([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })),
    );
    expect(operations.length).toBeGreaterThanOrEqual(20);

    const failures: string[] = [];
    const statuses = new Map<string, Set<number>>();
    let sent = 0;
    for (const { path, method, op } of operations) {
      const seen = new Set<number>();
      statuses.set(`${method.toUpperCase()} ${path}`, seen);
      for (const probe of probesFor(doc, path, method, op)) {
        const headers: Record<string, string> = { authorization: `Bearer ${admin.token}` };
        if (probe.contentType) headers['content-type'] = probe.contentType;
        const res = await t.app.inject({
          method: probe.method as 'GET',
          url: probe.url,
          headers,
          payload: probe.payload,
        });
        sent++;
        seen.add(res.statusCode);
        const where = `${probe.method} ${path} [${probe.label}]`;
        let body: any;
        try {
          body = JSON.parse(res.body);
        } catch {
          body = res.body.slice(0, 200);
        }
        if (res.statusCode >= 500) {
          failures.push(`${where} -> ${res.statusCode} ${JSON.stringify(body).slice(0, 300)}`);
        } else if (res.statusCode >= 400) {
          const wellFormed =
            body?.statusCode === res.statusCode &&
            typeof body.code === 'string' &&
            typeof body.message === 'string' &&
            typeof body.traceId === 'string' &&
            body.traceId.length > 0;
          if (!wellFormed)
            failures.push(
              `${where} -> ${res.statusCode} malformed error body ${JSON.stringify(body).slice(0, 300)}`,
            );
        }
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1000);

    // The sweep reached the handlers: validation rejected bodies and the admin's token survived it.
    for (const [operation, seen] of statuses) {
      if (/^(POST|PUT|PATCH) /.test(operation)) expect([operation, seen.has(400)]).toEqual([operation, true]);
    }
    expect((await t.request('GET', '/api/v1/users/me', { token: admin.token })).status).toBe(200);
  }, 180_000);

  it('refuses text holding U+0000, which PostgreSQL cannot store, naming the field, and stores nothing', async () => {
    const refused = [
      await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: 'Nul\u0000Salon', timeZone: 'Europe/Berlin' },
      }),
      await t.request('PATCH', '/api/v1/ad-templates/1', { token: admin.token, body: { textEn: '\u0000' } }),
      await t.request('POST', '/api/v1/specialists', {
        token: admin.token,
        body: { user: { name: 'Nul\u0000Stylist' } },
      }),
      await t.request('GET', '/api/v1/users?search=a%00b', { token: admin.token }),
    ];
    expect(refused.map((r) => [r.status, r.body.code, r.body.details?.fields])).toEqual([
      [400, 'validation_failed', { name: ['name must not contain the NUL character (U+0000)'] }],
      [400, 'validation_failed', { textEn: ['textEn must not contain the NUL character (U+0000)'] }],
      [400, 'validation_failed', { 'user.name': ['user.name must not contain the NUL character (U+0000)'] }],
      [400, 'validation_failed', { search: ['search must not contain the NUL character (U+0000)'] }],
    ]);
    const locations = await t.request('GET', '/api/v1/locations', { token: admin.token });
    expect(locations.body.items.map((l: { name: string }) => l.name)).not.toContain('Nul\u0000Salon');
    const ad = await t.request('GET', '/api/v1/ad-templates/1', { token: admin.token });
    expect(ad.body.textEn).not.toContain('\u0000');
  });
});
