import type { UserDto } from '../../../../booking/api';
import { pageOf } from '../../../ui/keyboard';
import { askScreen, foundScreen, staffScreen, userScreen } from './roles.screens';

const user = (over: Partial<UserDto> = {}): UserDto => ({
  id: 5,
  tgId: 777,
  phone: '+491701112233',
  phoneVerified: true,
  name: 'Pavel',
  username: null,
  language: 'en',
  role: 'client',
  blocked: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...over,
});
const labels = (s: { keyboard: { text: string }[][] }) => s.keyboard.flat().map((b) => b.text);

describe('roles screens', () => {
  it.each([
    ['client', ['💇 Make specialist', '👑 Make admin']],
    ['specialist', ['👑 Make admin', '👤 Make client']],
    ['admin', ['💇 Make specialist', '👤 Make client']],
  ] as const)('a %s can be given the other roles', (role, offered) => {
    expect(labels(userScreen('en', user({ role })))).toEqual([...offered, '⬅️ Back', '🏠 Home']);
  });

  it('a card shows role, phone, Telegram id and a block', () => {
    expect(userScreen('ru', user({ role: 'specialist', blocked: true, tgId: null })).text).toBe(
      '💇 Pavel\nРоль: мастер\n📱 +491701112233\nTelegram id: —\n🔒 Заблокирован',
    );
  });

  it('lists the staff with marks, paged, and a search', () => {
    const staff = Array.from({ length: 9 }, (_, i) =>
      user({ id: i + 1, name: `U${i}`, role: i === 0 ? 'admin' : 'specialist' }),
    );
    const first = staffScreen('en', pageOf(staff, 0), { admin: 1, specialist: 8, client: 0 });
    expect(first.text).toMatch(/^👥 Roles\nAdmins: 1, specialists: 8\./);
    expect(labels(first).slice(0, 2)).toEqual(['👑 U0', '💇 U1']);
    expect(labels(first).slice(8)).toEqual(['1/2', '▶️', '🔎 Find a user', '🏠 Home']);
  });

  it.each([
    [[user()], false, 'Found for "pav": 1. Type again to search for someone else.'],
    [
      [],
      false,
      'Nobody found for "pav". Check the spelling and type again; a person appears here once they have started the bot.',
    ],
    [
      [user()],
      true,
      'More than 1 found for "pav"; here are the first. Type more of the name or the phone to narrow it down.',
    ],
  ])('a search finding %j (more: %s) says so', (users, more, text) => {
    expect(foundScreen('en', 'pav', users, more).text).toBe(text);
  });

  it.each([
    ['admin', /^Make Pavel an admin\?/],
    ['specialist', /^Make Pavel a specialist\? A specialist profile is created/],
    ['client', /specialist profile is deactivated/],
  ] as const)('asks before making someone %s', (role, text) => {
    const screen = askScreen('en', user(), role);
    expect(screen.text).toMatch(text);
    expect(labels(screen)).toEqual(['Yes', 'No']);
  });
});
