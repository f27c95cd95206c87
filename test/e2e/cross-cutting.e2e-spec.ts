import { randomBytes } from 'node:crypto';
import { TestApp } from '../support/test-app';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('trace id and audit log', () => {
  let t: TestApp;
  let admin: { id: number; token: string };

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.userWithToken('admin');
  });
  afterAll(() => t.stop());

  describe('X-Request-Id', () => {
    it('comes from the request-context middleware alone: no global interceptor wraps the handlers', () => {
      // One global interceptor makes Nest wrap every REST and bot handler in an Observable (see request-context.module.ts).
      const config = (
        t.app as unknown as {
          config: { getGlobalInterceptors(): unknown[]; getGlobalRequestInterceptors(): unknown[] };
        }
      ).config;
      expect(config.getGlobalInterceptors()).toHaveLength(0);
      expect(config.getGlobalRequestInterceptors()).toHaveLength(0);
    });

    it('is echoed on success', async () => {
      const res = await t.request('GET', '/api/v1/locations', {
        token: admin.token,
        headers: { 'x-request-id': 'req-ok-1' },
      });
      expect(res.status).toBe(200);
      expect(res.headers['x-request-id']).toBe('req-ok-1');
    });

    it.each([
      ['401 no token', 'GET', '/api/v1/locations', {}, 401],
      ['400 validation', 'POST', '/api/v1/locations', { body: { name: '' } }, 400],
      [
        '400 broken JSON',
        'POST',
        '/api/v1/locations',
        { payload: '{"name":', headers: { 'content-type': 'application/json' } },
        400,
      ],
      ['404 unknown id', 'GET', '/api/v1/ad-templates/424242', {}, 404],
      ['404 unknown route', 'GET', '/api/v1/no-such-thing', {}, 404],
    ] as const)(
      'is echoed in the header and the error body (%s)',
      async (_name, method, url, options, status) => {
        const id = `trace-${randomBytes(4).toString('hex')}`;
        const withToken = status === 401 ? {} : { token: admin.token };
        const res = await t.request(method, url, {
          ...withToken,
          ...options,
          headers: { ...('headers' in options ? options.headers : {}), 'x-request-id': id },
        });
        expect(res.status).toBe(status);
        expect(res.headers['x-request-id']).toBe(id);
        expect(res.body).toEqual(
          expect.objectContaining({
            statusCode: status,
            code: expect.any(String),
            message: expect.any(String),
            traceId: id,
          }),
        );
      },
    );

    it('is generated when absent or unsafe, and the same in header and body', async () => {
      const cases: Record<string, string>[] = [
        {},
        { 'x-request-id': 'has spaces and <script>' },
        { 'x-request-id': 'x'.repeat(65) },
      ];
      for (const headers of cases) {
        const res = await t.request('GET', '/api/v1/locations', { headers });
        expect(res.status).toBe(401);
        expect(res.body.traceId).toMatch(UUID);
        expect(res.headers['x-request-id']).toBe(res.body.traceId);
      }
      const a = await t.request('GET', '/api/v1/locations');
      const b = await t.request('GET', '/api/v1/locations');
      expect(a.body.traceId).not.toBe(b.body.traceId);
    });
  });

  describe('GET /api/v1/audit-log', () => {
    it('shows who changed what, with the trace id of the request, newest first', async () => {
      const created = await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: 'Audit Mitte', timeZone: 'Europe/Berlin' },
        headers: { 'x-request-id': 'audit-create-1' },
      });
      await t.request('PATCH', `/api/v1/locations/${created.body.id}`, {
        token: admin.token,
        body: { name: 'Audit Mitte 2' },
        headers: { 'x-request-id': 'audit-update-1' },
      });
      const res = await t.request('GET', `/api/v1/audit-log?entity=location&entityId=${created.body.id}`, {
        token: admin.token,
      });
      expect(res.status).toBe(200);
      expect(res.body.total).toBe(2);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          action: 'location.update',
          entity: 'location',
          entityId: String(created.body.id),
          userId: admin.id,
          role: 'admin',
          clientType: 'api',
          changes: { name: 'Audit Mitte 2' },
          traceId: 'audit-update-1',
        }),
        expect.objectContaining({
          action: 'location.create',
          changes: { name: 'Audit Mitte', timeZone: 'Europe/Berlin' },
          traceId: 'audit-create-1',
        }),
      ]);
      expect(new Date(res.body.items[0].at).toISOString()).toBe(res.body.items[0].at);
    });

    it('filters by acting user and paginates', async () => {
      const other = await t.userWithToken('admin');
      for (const name of ['A', 'B', 'C']) {
        await t.request('POST', '/api/v1/ad-templates', {
          token: other.token,
          body: { name, textRu: name, textEn: name },
        });
      }
      const page1 = await t.request('GET', `/api/v1/audit-log?userId=${other.id}&limit=2`, {
        token: admin.token,
      });
      expect(page1.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
      expect(page1.body.items.map((i: { changes: { name: string } }) => i.changes.name)).toEqual(['C', 'B']);
      const page2 = await t.request('GET', `/api/v1/audit-log?userId=${other.id}&limit=2&offset=2`, {
        token: admin.token,
      });
      expect(page2.body.items.map((i: { changes: { name: string } }) => i.changes.name)).toEqual(['A']);
      expect(page2.body.items.every((i: { userId: number }) => i.userId === other.id)).toBe(true);
    });

    it('400 naming a bad filter', async () => {
      for (const [query, field] of [
        ['userId=abc', 'userId'],
        ['limit=0', 'limit'],
        ['entity=' + 'e'.repeat(41), 'entity'],
        ['colour=red', 'colour'],
      ]) {
        const res = await t.request('GET', `/api/v1/audit-log?${query}`, { token: admin.token });
        expect(res.status).toBe(400);
        expect(res.body.message).toContain(field);
      }
    });

    it('is admin only', async () => {
      for (const role of ['client', 'specialist'] as const) {
        const user = await t.userWithToken(role);
        const res = await t.request('GET', '/api/v1/audit-log', { token: user.token });
        expect(res.status).toBe(403);
        expect(res.body.code).toBe('forbidden');
      }
      expect((await t.request('GET', '/api/v1/audit-log')).status).toBe(401);
    });
  });

  describe('malformed input that used to reach the database or overflow the stack', () => {
    it('null for a non-nullable field is a 400 naming it (DTO check)', async () => {
      const ad = await t.request('POST', '/api/v1/ad-templates', {
        token: admin.token,
        body: { name: 'n', textRu: 'r', textEn: 'e' },
      });
      const res = await t.request('PATCH', `/api/v1/ad-templates/${ad.body.id}`, {
        token: admin.token,
        body: { textRu: null },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('textRu');
    });

    it('null for a field that cannot be null is a 400 naming the field, and nothing changes', async () => {
      const loc = await t.request('POST', '/api/v1/locations', {
        token: admin.token,
        body: { name: 'Keep', timeZone: 'Europe/Berlin' },
      });
      const res = await t.request('PATCH', `/api/v1/locations/${loc.body.id}`, {
        token: admin.token,
        body: { name: null },
      });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.details.fields).toHaveProperty('name');
      expect(
        (await t.request('GET', `/api/v1/locations/${loc.body.id}`, { token: admin.token })).body.name,
      ).toBe('Keep');
    });

    it.each(['-1', '0', '1.5', 'abc', '2147483648', '99999999999999999999'])(
      'path id %s is a 400 naming id',
      async (id) => {
        const res = await t.request('GET', `/api/v1/push-subscriptions/${id}`, { token: admin.token });
        expect(res.status).toBe(400);
        expect(res.body.message).toContain('id in the path must be a positive integer');
      },
    );

    it('an offset beyond the integer range is a 400', async () => {
      const res = await t.request('GET', '/api/v1/ad-templates?offset=99999999999999999999', {
        token: admin.token,
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain('offset');
    });

    it.each([
      ['/api/v1/specialists', { userId: 2147483648 }, 'userId'],
      ['/api/v1/specialists', { user: { name: 'X' }, locationIds: [2147483648] }, 'locationIds'],
      [
        '/api/v1/schedules/intervals',
        { specialistId: 2147483648, locationId: 1, weekday: 1, startMin: 540, endMin: 600 },
        'specialistId',
      ],
      [
        '/api/v1/bookings',
        { locationId: 1, serviceId: 2147483648, specialistId: 1, startAt: '2030-01-01T10:00:00Z' },
        'serviceId',
      ],
    ])('POST %s with an id beyond the integer range is a 400 naming the field', async (url, body, field) => {
      const res = await t.request('POST', url, { token: admin.token, body });
      expect(res.status).toBe(400);
      expect(res.body.details.fields).toHaveProperty(field);
    });

    it('a body nested thousands of levels deep is a 400, not a stack overflow', async () => {
      const res = await t.request('POST', '/api/v1/ad-templates', {
        token: admin.token,
        payload: '{"name":'.repeat(3000) + '1' + '}'.repeat(3000),
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body.message).toBe('body is nested deeper than 32 levels');
    });

    it('a URL Fastify cannot decode gets the usual error body and trace id', async () => {
      for (const url of ['/api/v1/ad-templates/%E0%A4%A', `/api/v1/ad-templates/${'9'.repeat(200)}`]) {
        const res = await t.request('GET', url, {
          token: admin.token,
          headers: { 'x-request-id': 'bad-url-1' },
        });
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body).toEqual({
          statusCode: res.status,
          code: 'validation_failed',
          message: expect.any(String),
          traceId: 'bad-url-1',
        });
        expect(res.headers['x-request-id']).toBe('bad-url-1');
      }
    });
  });
});
