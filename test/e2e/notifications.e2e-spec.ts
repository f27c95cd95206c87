import { createECDH, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { TestApp } from '../support/test-app';
import { sql } from '../support/test-database';

type User = { id: number; token: string };

function pushKeys() {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

const endpoint = () => `https://fcm.googleapis.com/fcm/send/${randomBytes(8).toString('hex')}`;

describe('notification settings, ad templates, push subscriptions', () => {
  let t: TestApp;
  let admin: User;
  let specialist: User;
  let client: User;
  let otherClient: User;

  const auditRows = (entity: string, entityId: number) =>
    sql(
      t.get(DataSource),
      'SELECT action, user_id AS "userId", changes, trace_id AS "traceId" FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id',
      [entity, String(entityId)],
    );

  beforeAll(async () => {
    t = await TestApp.start();
    admin = await t.userWithToken('admin');
    specialist = await t.userWithToken('specialist');
    client = await t.userWithToken('client');
    otherClient = await t.userWithToken('client');
  });
  afterAll(() => t.stop());

  describe('ad templates', () => {
    it('create, read, list, update, deactivate, with audit rows', async () => {
      const created = await t.request('POST', '/api/v1/ad-templates', {
        token: admin.token,
        body: { name: ' Spring ', textRu: 'Скидка 10%', textEn: '10% off' },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'Spring',
        textRu: 'Скидка 10%',
        textEn: '10% off',
        active: true,
      });
      const id = created.body.id;

      expect((await t.request('GET', `/api/v1/ad-templates/${id}`, { token: admin.token })).body.name).toBe(
        'Spring',
      );

      const patched = await t.request('PATCH', `/api/v1/ad-templates/${id}`, {
        token: admin.token,
        body: { textEn: '15% off' },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({ textEn: '15% off', textRu: 'Скидка 10%', active: true });

      const deleted = await t.request('DELETE', `/api/v1/ad-templates/${id}`, { token: admin.token });
      expect(deleted.status).toBe(200);
      expect(deleted.body.active).toBe(false);
      // Deactivated, not gone: still readable and listed under active=false.
      expect((await t.request('GET', `/api/v1/ad-templates/${id}`, { token: admin.token })).body.active).toBe(
        false,
      );
      const inactive = await t.request('GET', '/api/v1/ad-templates?active=false', { token: admin.token });
      expect(inactive.body.items.map((a: { id: number }) => a.id)).toContain(id);
      const active = await t.request('GET', '/api/v1/ad-templates?active=true', { token: admin.token });
      expect(active.body.items.map((a: { id: number }) => a.id)).not.toContain(id);

      const rows = await auditRows('ad_template', id);
      expect(rows.map((r: { action: string }) => r.action)).toEqual([
        'ad_template.create',
        'ad_template.update',
        'ad_template.deactivate',
      ]);
      expect(rows.every((r: { userId: number }) => r.userId === admin.id)).toBe(true);
      expect(JSON.parse(rows[1].changes)).toEqual({ textEn: '15% off' });
    });

    it.each([
      ['textRu', { name: 'x', textRu: '', textEn: 'ok' }],
      ['textEn', { name: 'x', textRu: 'ok', textEn: 'a'.repeat(1001) }],
      ['textEn', { name: 'x', textRu: 'ok' }],
      ['name', { name: 42, textRu: 'ok', textEn: 'ok' }],
      ['active', { name: 'x', textRu: 'ok', textEn: 'ok', active: 'yes' }],
      ['colour', { name: 'x', textRu: 'ok', textEn: 'ok', colour: 'red' }],
    ])('400 naming %s', async (field, body) => {
      const res = await t.request('POST', '/api/v1/ad-templates', { token: admin.token, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(res.body.message).toContain(field);
    });

    it('accepts exactly 1000 characters', async () => {
      const res = await t.request('POST', '/api/v1/ad-templates', {
        token: admin.token,
        body: { name: 'long', textRu: 'я'.repeat(1000), textEn: 'e'.repeat(1000) },
      });
      expect(res.status).toBe(201);
      expect(res.body.textRu).toHaveLength(1000);
    });

    it('404 for an unknown id', async () => {
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { name: 'y' }],
        ['DELETE', undefined],
      ] as const) {
        const res = await t.request(method, '/api/v1/ad-templates/999999', { token: admin.token, body });
        expect(res.status).toBe(404);
        expect(res.body).toMatchObject({ statusCode: 404, code: 'not_found' });
      }
    });

    it('403 for clients and specialists, read or write', async () => {
      const existing = await t.request('POST', '/api/v1/ad-templates', {
        token: admin.token,
        body: { name: 'a', textRu: 'a', textEn: 'a' },
      });
      for (const user of [client, specialist]) {
        const attempts = [
          await t.request('GET', '/api/v1/ad-templates', { token: user.token }),
          await t.request('GET', `/api/v1/ad-templates/${existing.body.id}`, { token: user.token }),
          await t.request('POST', '/api/v1/ad-templates', {
            token: user.token,
            body: { name: 'a', textRu: 'a', textEn: 'a' },
          }),
          await t.request('PATCH', `/api/v1/ad-templates/${existing.body.id}`, {
            token: user.token,
            body: { name: 'b' },
          }),
          await t.request('DELETE', `/api/v1/ad-templates/${existing.body.id}`, { token: user.token }),
        ];
        expect(attempts.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
        expect(attempts[0].body.code).toBe('forbidden');
      }
      expect(
        (await t.request('GET', `/api/v1/ad-templates/${existing.body.id}`, { token: admin.token })).body,
      ).toMatchObject({ name: 'a', active: true });
    });

    it('401 without a token', async () => {
      expect((await t.request('GET', '/api/v1/ad-templates')).status).toBe(401);
    });
  });

  describe('notification settings', () => {
    it('PUT creates then updates the same (event, role, channel) row; PATCH; DELETE; audit', async () => {
      const ad = await t.request('POST', '/api/v1/ad-templates', {
        token: admin.token,
        body: { name: 'ad', textRu: 'р', textEn: 'e' },
      });
      const key = { eventType: 'booking_created', recipientRole: 'client', channel: 'telegram' };
      const first = await t.request('PUT', '/api/v1/notification-settings', {
        token: admin.token,
        body: { ...key, enabled: true, adTemplateId: ad.body.id },
      });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ ...key, enabled: true, adTemplateId: ad.body.id });

      const second = await t.request('PUT', '/api/v1/notification-settings', {
        token: admin.token,
        body: { ...key, enabled: false },
      });
      expect(second.status).toBe(200);
      expect(second.body).toEqual({ id: first.body.id, ...key, enabled: false, adTemplateId: null });

      const listed = await t.request(
        'GET',
        '/api/v1/notification-settings?eventType=booking_created&recipientRole=client&channel=telegram',
        { token: admin.token },
      );
      expect(listed.body).toMatchObject({ total: 1, items: [{ id: first.body.id, enabled: false }] });

      const other = await t.request('PUT', '/api/v1/notification-settings', {
        token: admin.token,
        body: { eventType: 'booking_created', recipientRole: 'client', channel: 'web_push', enabled: true },
      });
      expect(other.body.id).not.toBe(first.body.id);
      const byEvent = await t.request(
        'GET',
        '/api/v1/notification-settings?eventType=booking_created&recipientRole=client',
        { token: admin.token },
      );
      expect(byEvent.body.total).toBe(2);
      const byChannel = await t.request('GET', '/api/v1/notification-settings?channel=web_push', {
        token: admin.token,
      });
      expect(byChannel.body.items.map((s: { id: number }) => s.id)).toEqual([other.body.id]);

      const patched = await t.request('PATCH', `/api/v1/notification-settings/${first.body.id}`, {
        token: admin.token,
        body: { adTemplateId: ad.body.id },
      });
      expect(patched.body).toMatchObject({ enabled: false, adTemplateId: ad.body.id });
      const cleared = await t.request('PATCH', `/api/v1/notification-settings/${first.body.id}`, {
        token: admin.token,
        body: { adTemplateId: null, enabled: true },
      });
      expect(cleared.body).toMatchObject({ enabled: true, adTemplateId: null });

      const deleted = await t.request('DELETE', `/api/v1/notification-settings/${first.body.id}`, {
        token: admin.token,
      });
      expect(deleted.status).toBe(200);
      expect(
        (await t.request('GET', `/api/v1/notification-settings/${first.body.id}`, { token: admin.token }))
          .status,
      ).toBe(404);

      const rows = await auditRows('notification_setting', first.body.id);
      expect(rows.map((r: { action: string }) => r.action)).toEqual([
        'notification_setting.create',
        'notification_setting.update',
        'notification_setting.update',
        'notification_setting.update',
        'notification_setting.delete',
      ]);
    });

    it('unknown adTemplateId is 404 and changes nothing', async () => {
      const body = {
        eventType: 'booking_done',
        recipientRole: 'admin',
        channel: 'telegram',
        enabled: true,
        adTemplateId: 987654,
      };
      const res = await t.request('PUT', '/api/v1/notification-settings', { token: admin.token, body });
      expect(res.status).toBe(404);
      expect(res.body.message).toContain('ad template 987654');
      const listed = await t.request('GET', '/api/v1/notification-settings?eventType=booking_done', {
        token: admin.token,
      });
      expect(listed.body.total).toBe(0);

      const ok = await t.request('PUT', '/api/v1/notification-settings', {
        token: admin.token,
        body: { ...body, adTemplateId: undefined },
      });
      const patch = await t.request('PATCH', `/api/v1/notification-settings/${ok.body.id}`, {
        token: admin.token,
        body: { adTemplateId: 987654 },
      });
      expect(patch.status).toBe(404);
    });

    it.each([
      [
        'eventType',
        { eventType: 'booking_exploded', recipientRole: 'client', channel: 'telegram', enabled: true },
      ],
      [
        'recipientRole',
        { eventType: 'broadcast', recipientRole: 'owner', channel: 'telegram', enabled: true },
      ],
      ['channel', { eventType: 'broadcast', recipientRole: 'client', channel: 'sms', enabled: true }],
      ['enabled', { eventType: 'broadcast', recipientRole: 'client', channel: 'telegram' }],
      [
        'adTemplateId',
        {
          eventType: 'broadcast',
          recipientRole: 'client',
          channel: 'telegram',
          enabled: true,
          adTemplateId: -3,
        },
      ],
      [
        'adTemplateId',
        {
          eventType: 'broadcast',
          recipientRole: 'client',
          channel: 'telegram',
          enabled: true,
          adTemplateId: 1e20,
        },
      ],
    ])('400 naming %s', async (field, body) => {
      const res = await t.request('PUT', '/api/v1/notification-settings', { token: admin.token, body });
      expect(res.status).toBe(400);
      expect(res.body.message).toContain(field);
    });

    it('400 on a bad list filter, 404 on unknown ids', async () => {
      const bad = await t.request('GET', '/api/v1/notification-settings?channel=pigeon', {
        token: admin.token,
      });
      expect(bad.status).toBe(400);
      expect(bad.body.message).toContain('channel');
      expect(
        (
          await t.request('PATCH', '/api/v1/notification-settings/999999', {
            token: admin.token,
            body: { enabled: false },
          })
        ).status,
      ).toBe(404);
      expect(
        (await t.request('DELETE', '/api/v1/notification-settings/999999', { token: admin.token })).status,
      ).toBe(404);
    });

    it('403 for clients and specialists, nothing written', async () => {
      const body = {
        eventType: 'booking_reminder',
        recipientRole: 'client',
        channel: 'telegram',
        enabled: false,
      };
      const existing = await t.request('PUT', '/api/v1/notification-settings', { token: admin.token, body });
      for (const user of [client, specialist]) {
        const statuses = [
          (await t.request('GET', '/api/v1/notification-settings', { token: user.token })).status,
          (await t.request('GET', `/api/v1/notification-settings/${existing.body.id}`, { token: user.token }))
            .status,
          (
            await t.request('PUT', '/api/v1/notification-settings', {
              token: user.token,
              body: { ...body, enabled: true },
            })
          ).status,
          (
            await t.request('PATCH', `/api/v1/notification-settings/${existing.body.id}`, {
              token: user.token,
              body: { enabled: true },
            })
          ).status,
          (
            await t.request('DELETE', `/api/v1/notification-settings/${existing.body.id}`, {
              token: user.token,
            })
          ).status,
        ];
        expect(statuses).toEqual([403, 403, 403, 403, 403]);
      }
      expect(
        (await t.request('GET', `/api/v1/notification-settings/${existing.body.id}`, { token: admin.token }))
          .body.enabled,
      ).toBe(false);
    });
  });

  describe('push subscriptions', () => {
    it("subscribe, list own, re-subscribe the same endpoint, another user's attempt refused, delete, audit", async () => {
      const url = endpoint();
      const keys = pushKeys();
      const created = await t.request('POST', '/api/v1/push-subscriptions', {
        token: client.token,
        body: { endpoint: url, keys },
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ userId: client.id, endpoint: url, keys });

      // The same browser again: one row, new keys. Another user cannot take it over (409).
      const newKeys = pushKeys();
      const renewed = await t.request('POST', '/api/v1/push-subscriptions', {
        token: client.token,
        body: { endpoint: url, keys: newKeys },
      });
      expect(renewed.status).toBe(201);
      expect(renewed.body).toMatchObject({ id: created.body.id, userId: client.id, keys: newKeys });
      const taken = await t.request('POST', '/api/v1/push-subscriptions', {
        token: otherClient.token,
        body: { endpoint: url, keys: pushKeys() },
      });
      expect(taken.status).toBe(409);
      expect(taken.body.code).toBe('push_endpoint_taken');
      const rows = await sql(
        t.get(DataSource),
        'SELECT user_id AS "userId", p256dh FROM push_subscriptions WHERE endpoint = ?',
        [url],
      );
      expect(rows).toEqual([{ userId: client.id, p256dh: newKeys.p256dh }]);

      expect(
        (await t.request('GET', '/api/v1/push-subscriptions', { token: otherClient.token })).body.items,
      ).toEqual([]);
      const own = await t.request('GET', '/api/v1/push-subscriptions', { token: client.token });
      expect(own.body.items.map((s: { id: number }) => s.id)).toEqual([created.body.id]);

      const deleted = await t.request('DELETE', `/api/v1/push-subscriptions/${created.body.id}`, {
        token: client.token,
      });
      expect(deleted.status).toBe(200);
      expect((await t.request('GET', '/api/v1/push-subscriptions', { token: client.token })).body.total).toBe(
        0,
      );

      const audit = await auditRows('push_subscription', created.body.id);
      expect(audit.map((r: { action: string; userId: number }) => [r.action, r.userId])).toEqual([
        ['push_subscription.create', client.id],
        ['push_subscription.update', client.id],
        ['push_subscription.delete', client.id],
      ]);
      expect(audit.map((r: { changes: string }) => r.changes).join()).not.toContain(keys.auth);
    });

    it("another user's subscription is 404 for a client, visible and deletable for an admin", async () => {
      const mine = await t.request('POST', '/api/v1/push-subscriptions', {
        token: client.token,
        body: { endpoint: endpoint(), keys: pushKeys() },
      });
      const theirs = await t.request('POST', '/api/v1/push-subscriptions', {
        token: specialist.token,
        body: { endpoint: endpoint(), keys: pushKeys() },
      });
      expect(theirs.status).toBe(201);

      expect(
        (await t.request('GET', `/api/v1/push-subscriptions/${theirs.body.id}`, { token: client.token }))
          .status,
      ).toBe(404);
      const del = await t.request('DELETE', `/api/v1/push-subscriptions/${theirs.body.id}`, {
        token: client.token,
      });
      expect(del.status).toBe(404);
      expect(del.body.message).toBe(`push subscription ${theirs.body.id} not found`);
      // Same answer as an id that does not exist: existence does not leak.
      const missing = await t.request('DELETE', '/api/v1/push-subscriptions/999999', { token: client.token });
      expect(missing.body.message).toBe('push subscription 999999 not found');
      // A client's userId filter cannot widen the view.
      const filtered = await t.request('GET', `/api/v1/push-subscriptions?userId=${specialist.id}`, {
        token: client.token,
      });
      expect(filtered.body.items).toEqual([]);

      const all = await t.request('GET', '/api/v1/push-subscriptions', { token: admin.token });
      expect(all.body.items.map((s: { id: number }) => s.id)).toEqual(
        expect.arrayContaining([mine.body.id, theirs.body.id]),
      );
      const bySpecialist = await t.request('GET', `/api/v1/push-subscriptions?userId=${specialist.id}`, {
        token: admin.token,
      });
      expect(bySpecialist.body.items.map((s: { id: number }) => s.id)).toEqual([theirs.body.id]);

      expect(
        (await t.request('DELETE', `/api/v1/push-subscriptions/${theirs.body.id}`, { token: admin.token }))
          .status,
      ).toBe(200);
      expect(
        (await t.request('GET', `/api/v1/push-subscriptions/${mine.body.id}`, { token: client.token }))
          .status,
      ).toBe(200);
    });

    it.each([
      ['endpoint', { endpoint: 'http://fcm.googleapis.com/x', keys: pushKeys() }],
      ['endpoint', { endpoint: 'https://push.example.com/x', keys: pushKeys() }],
      ['endpoint', { endpoint: 'not a url', keys: pushKeys() }],
      ['endpoint', { endpoint: `https://fcm.googleapis.com/${'a'.repeat(1100)}`, keys: pushKeys() }],
      ['keys', { endpoint: endpoint() }],
      ['keys', { endpoint: endpoint(), keys: 'p256dh' }],
      ['keys.p256dh', { endpoint: endpoint(), keys: { ...pushKeys(), p256dh: 'not+base64/url' } }],
      [
        'keys.p256dh',
        { endpoint: endpoint(), keys: { ...pushKeys(), p256dh: randomBytes(20).toString('base64url') } },
      ],
      ['keys.auth', { endpoint: endpoint(), keys: { ...pushKeys(), auth: 'abc' } }],
      ['keys.extra', { endpoint: endpoint(), keys: { ...pushKeys(), extra: 1 } }],
    ])('400 naming %s', async (field, body) => {
      const res = await t.request('POST', '/api/v1/push-subscriptions', { token: client.token, body });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
      expect(Object.keys(res.body.details.fields)).toContain(field);
    });
  });

  it('the OpenAPI document lists the new endpoints', async () => {
    const docs = await t.request('GET', '/docs/json');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/notification-settings',
        '/api/v1/ad-templates/{id}',
        '/api/v1/push-subscriptions',
        '/api/v1/audit-log',
      ]),
    );
    const list =
      docs.body.paths['/api/v1/ad-templates'].get.responses['200'].content['application/json'].schema;
    expect(list.properties.items.items.$ref).toBe('#/components/schemas/AdTemplateDto');
    expect(docs.body.components.schemas.PushSubscriptionDto.properties.keys.$ref).toBe(
      '#/components/schemas/PushKeysDto',
    );
    expect(
      docs.body.paths['/api/v1/notification-settings'].put.requestBody.content['application/json'].schema
        .$ref,
    ).toBe('#/components/schemas/UpsertNotificationSettingDto');
  });
});
