import type { Language, UserDto } from '../../../../booking/api';
import type { Role } from '../../../../common/actor';
import { t, TextKey } from '../../../i18n/i18n';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { Roles } from './roles.routes';

/** The order the role buttons come in: the usual promotion first. */
const OFFERED: readonly Role[] = ['specialist', 'admin', 'client'];

const ROLE_MARK: Record<Role, string> = { admin: '👑', specialist: '💇', client: '👤' };
const ROLE_KEY: Record<Role, TextKey> = {
  admin: 'adm.role.admin',
  specialist: 'adm.role.specialist',
  client: 'adm.role.client',
};
const MAKE_KEY: Record<Role, TextKey> = {
  admin: 'adm.role.make_admin',
  specialist: 'adm.role.make_specialist',
  client: 'adm.role.make_client',
};
const ASK_KEY: Record<Role, TextKey> = {
  admin: 'adm.role.ask_admin',
  specialist: 'adm.role.ask_specialist',
  client: 'adm.role.ask_client',
};

export const roleName = (role: Role, lang: Language) => t(ROLE_KEY[role], lang);

const label = (u: UserDto) => `${ROLE_MARK[u.role]} ${u.name}${u.blocked ? ' 🔒' : ''}`;

/** The salon's staff: admins first, then specialists; anyone else is found by a search. */
export function staffScreen(lang: Language, paged: Paged<UserDto>, counts: Record<Role, number>): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const u of paged.items) kb.button(label(u), Roles.user.encode(u.id));
  kb.paging(paged, (p) => Roles.list.encode(p));
  kb.button(t('adm.role.find', lang), Roles.find.encode());
  kb.nav();
  const text = t('adm.role.title', lang, { admins: counts.admin, specialists: counts.specialist });
  return { text, keyboard: kb.build() };
}

export function findScreen(lang: Language): Screen {
  return {
    text: t('adm.role.type_search', lang),
    keyboard: new KeyboardBuilder(lang).nav(Roles.list.encode(0)).build(),
  };
}

/** What a search found (at most a page; a longer list asks for a narrower search). */
export function foundScreen(lang: Language, query: string, users: UserDto[], more: boolean): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const u of users) kb.button(label(u), Roles.user.encode(u.id));
  kb.nav(Roles.list.encode(0));
  const key: TextKey = users.length
    ? more
      ? 'adm.role.found_more'
      : 'adm.role.found'
    : 'adm.role.found_none';
  return { text: t(key, lang, { query, count: users.length }), keyboard: kb.build() };
}

/** A person and the roles they can be given; the current one is not offered. */
export function userScreen(lang: Language, u: UserDto, notice?: string): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const role of OFFERED.filter((r) => r !== u.role))
    kb.button(t(MAKE_KEY[role], lang), Roles.ask.encode(u.id, role));
  kb.nav(Roles.list.encode(0));
  const lines = [
    `${ROLE_MARK[u.role]} ${u.name}`,
    t('adm.role.card_role', lang, { role: roleName(u.role, lang) }),
    t('adm.role.card_phone', lang, { phone: u.phone ?? '—' }),
    t('adm.role.card_telegram', lang, { tg: u.tgId ?? '—' }),
  ];
  if (u.blocked) lines.push(t('adm.role.card_blocked', lang));
  const text = lines.join('\n');
  return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
}

/** Every change of role is asked first; what else happens (a profile made or deactivated) is said. */
export function askScreen(lang: Language, u: UserDto, role: Role): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('adm.role.yes', lang), callback_data: Roles.set.encode(u.id, role) },
    { text: t('adm.role.no', lang), callback_data: Roles.user.encode(u.id) },
  ]);
  return { text: t(ASK_KEY[role], lang, { name: u.name }), keyboard: kb.build() };
}
