import type { Language } from '../../../../booking/api';
import type { AuditLogEntryDto } from '../../../../infra/audit/audit-log.dto';
import { t, TextKey } from '../../../i18n/i18n';
import { dateTime } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { Audit } from './audit.routes';

/** The entities the filter offers ('' is all of them), as the audit log names them. */
export const AUDIT_ENTITIES = [
  '',
  'booking',
  'location',
  'service',
  'specialist',
  'work_interval',
  'schedule_exception',
  'user',
  'settings',
  'notification_setting',
  'ad_template',
  'bot_update',
] as const;

export const entityLabel = (index: number, lang: Language) =>
  t(`adm.aud.entity.${AUDIT_ENTITIES[index] || 'all'}` as TextKey, lang);

export interface AuditLine {
  entry: AuditLogEntryDto;
  /** the acting user's name, or null for the system */
  who: string | null;
}

const MAX_CHANGES = 160;

function changesOf(changes: unknown): string {
  if (changes === null || changes === undefined) return '';
  const text = JSON.stringify(changes);
  return text.length > MAX_CHANGES ? `${text.slice(0, MAX_CHANGES - 1)}…` : text;
}

/** The latest changes, newest first: when, who, what (action, object, what changed). */
export function auditScreen(lang: Language, filter: number, lines: Paged<AuditLine>, zone: string): Screen {
  const text = [t('adm.aud.title', lang, { filter: entityLabel(filter, lang) })];
  if (!lines.items.length) text.push('', t('adm.aud.empty', lang));
  for (const { entry, who } of lines.items) {
    const object = entry.entityId ? `${entry.entity} #${entry.entityId}` : entry.entity;
    const actor = who ? `${who} (${entry.role})` : t('adm.aud.system', lang);
    text.push('', `🕓 ${dateTime(entry.at, zone, lang)} · ${actor}`, `${entry.action} · ${object}`);
    const changes = changesOf(entry.changes);
    if (changes) text.push(changes);
  }
  const kb = new KeyboardBuilder(lang)
    .button(
      t('adm.aud.filter', lang, { filter: entityLabel(filter, lang) }),
      Audit.filters.encode(filter, lines.page),
    )
    .paging(lines, (page) => Audit.list.encode(filter, page))
    .nav();
  return { text: text.join('\n'), keyboard: kb.build() };
}

export function filtersScreen(lang: Language, filter: number, page: number): Screen {
  const kb = new KeyboardBuilder(lang).grid(
    AUDIT_ENTITIES.map((_, i) => ({
      text: `${i === filter ? '✓ ' : ''}${entityLabel(i, lang)}`,
      callback_data: Audit.list.encode(i, 0),
    })),
    2,
  );
  return {
    text: t('adm.aud.choose_filter', lang),
    keyboard: kb.nav(Audit.list.encode(filter, page)).build(),
  };
}
