import type { InlineKeyboardButton } from 'telegraf/types';

/** Telegram's limits, checked before anything is sent. */
export const TEXT_MAX_CHARS = 4096;
export const KEYBOARD_MAX_BUTTONS = 100;
export const PAGE_SIZE = 8;

/** What one screen shows: a pure function of data renders it, MenuController sends or edits it. */
export interface Screen {
  text: string;
  keyboard: InlineKeyboardButton[][];
}

export class ScreenLimitError extends Error {}

/** Throws when Telegram would refuse the screen: a renderer that can overflow must page instead. */
export function checkScreen(screen: Screen): Screen {
  if (screen.text.length === 0 || screen.text.length > TEXT_MAX_CHARS)
    throw new ScreenLimitError(`screen text of ${screen.text.length} characters (1-${TEXT_MAX_CHARS})`);
  const buttons = screen.keyboard.reduce((n, row) => n + row.length, 0);
  if (buttons > KEYBOARD_MAX_BUTTONS)
    throw new ScreenLimitError(`${buttons} buttons (at most ${KEYBOARD_MAX_BUTTONS})`);
  return screen;
}
