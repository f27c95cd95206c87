import type { ReplyKeyboardMarkup } from 'telegraf/types';
import type { TgUserContext } from '../api/tg-user-context';
import { t, TextKey } from '../i18n/i18n';
import { KeyboardBuilder } from './keyboard';
import { Book, MyBookings, Profile } from './routes';
import type { Screen } from './screen';

/** The main menu's entries, in order; each is a reply-keyboard button and an inline button on the home screen. */
export const MAIN_MENU: readonly { key: TextKey; data: () => string }[] = [
  { key: 'menu.book', data: () => Book.locations.encode(0) },
  { key: 'menu.my_bookings', data: () => MyBookings.list.encode('upcoming', 0) },
  { key: 'menu.profile', data: () => Profile.show.encode() },
];

/** The persistent reply keyboard: the main menu, two buttons a row, plus Help. */
export function mainKeyboard(user: TgUserContext): ReplyKeyboardMarkup {
  const labels = [...MAIN_MENU.map((e) => t(e.key, user.lang)), t('menu.help', user.lang)];
  const keyboard = [];
  for (let i = 0; i < labels.length; i += 2) keyboard.push(labels.slice(i, i + 2).map((text) => ({ text })));
  return { keyboard, resize_keyboard: true, is_persistent: true };
}

/** Home: the same entries as inline buttons, where Home leads from any screen. */
export function homeScreen(user: TgUserContext): Screen {
  const kb = new KeyboardBuilder(user.lang);
  for (const entry of MAIN_MENU) kb.button(t(entry.key, user.lang), entry.data());
  return { text: t('home.title', user.lang), keyboard: kb.build() };
}
