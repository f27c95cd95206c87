import type { AuditLogEntryDto } from '../../../../infra/audit/audit-log.dto';
import { AUDIT_ENTITIES, auditScreen, entityLabel, filtersScreen } from './audit.screens';

const entry = (changes: unknown, userId: number | null = 4): AuditLogEntryDto => ({
  id: 1,
  at: '2026-04-14T08:30:00.000Z',
  userId,
  role: userId ? 'admin' : 'system',
  clientType: 'internal',
  action: 'booking.cancel',
  entity: 'booking',
  entityId: '12',
  changes,
  traceId: null,
});

describe('audit screens', () => {
  it.each([
    [
      'en',
      'Olga',
      { reason: 'ill' },
      '🕓 Tue 14 Apr, 10:30 (Berlin) · Olga (admin)\nbooking.cancel · booking #12\n{"reason":"ill"}',
    ],
    ['ru', null, null, '🕓 вт 14 апр., 10:30 (Berlin) · система\nbooking.cancel · booking #12'],
  ] as const)('%s: when, who, what', (lang, who, changes, lines) => {
    const screen = auditScreen(
      lang,
      1,
      { items: [{ entry: entry(changes, who ? 4 : null), who }], page: 0, pages: 1 },
      'Europe/Berlin',
    );
    expect(screen.text.split('\n').slice(2).join('\n')).toBe(lines);
  });

  it('long changes are cut, and paging shows when there is more', () => {
    const screen = auditScreen(
      'en',
      0,
      { items: [{ entry: entry({ text: 'x'.repeat(500) }), who: 'Olga' }], page: 0, pages: 3 },
      'UTC',
    );
    expect(screen.text.endsWith('…')).toBe(true);
    expect(screen.text.split('\n').pop()!.length).toBe(160);
    expect(screen.keyboard.flat().map((b) => b.text)).toEqual([
      '🔎 Filter: everything',
      '1/3',
      '▶️',
      '🏠 Home',
    ]);
  });

  it('the filters mark the chosen entity', () => {
    const labels = filtersScreen('ru', 1, 0)
      .keyboard.flat()
      .map((b) => b.text);
    expect(labels.slice(0, 2)).toEqual(['всё', '✓ записи']);
  });
});

describe('audit filter labels', () => {
  it.each(['en', 'ru'] as const)('every entity has a label in %s', (lang) => {
    // A missing key throws.
    const labels = AUDIT_ENTITIES.map((_, i) => entityLabel(i, lang));
    expect(new Set(labels).size).toBe(AUDIT_ENTITIES.length);
  });
});
