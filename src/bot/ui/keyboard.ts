import type { InlineKeyboardButton } from 'telegraf/types';
import type { Language } from '../../booking/api';
import { t } from '../i18n/i18n';
import { Nav } from './routes';
import { KEYBOARD_MAX_BUTTONS, PAGE_SIZE } from './screen';

export interface Paged<T> {
  items: T[];
  page: number;
  pages: number;
}

/** The items of one page (at most PAGE_SIZE), with the page clamped into range. */
export function pageOf<T>(all: readonly T[], page: number, size = PAGE_SIZE): Paged<T> {
  const pages = Math.max(1, Math.ceil(all.length / size));
  const p = Math.min(Math.max(0, page), pages - 1);
  return { items: all.slice(p * size, (p + 1) * size), page: p, pages };
}

/**
 * Builds an inline keyboard: rows of buttons, paging (Prev / Next), Back and Home, within Telegram's
 * 100 buttons. Callback data always comes from a CallbackRoute's encode(), never from a literal.
 */
export class KeyboardBuilder {
  private readonly rows: InlineKeyboardButton[][] = [];

  constructor(private readonly lang: Language) {}

  button(text: string, data: string): this {
    return this.row([{ text, callback_data: data }]);
  }

  row(buttons: InlineKeyboardButton[]): this {
    if (buttons.length) this.rows.push(buttons);
    return this;
  }

  /** Buttons laid out `perRow` to a row. */
  grid(buttons: InlineKeyboardButton[], perRow: number): this {
    for (let i = 0; i < buttons.length; i += perRow) this.rows.push(buttons.slice(i, i + perRow));
    return this;
  }

  /** Prev / Next for a paged list; `pageData(n)` is the data that shows page n. Nothing when there is one page. */
  paging(paged: Paged<unknown>, pageData: (page: number) => string): this {
    if (paged.pages <= 1) return this;
    const row: InlineKeyboardButton[] = [];
    if (paged.page > 0)
      row.push({ text: t('common.prev', this.lang), callback_data: pageData(paged.page - 1) });
    row.push({ text: `${paged.page + 1}/${paged.pages}`, callback_data: Nav.noop.encode() });
    if (paged.page < paged.pages - 1)
      row.push({ text: t('common.next', this.lang), callback_data: pageData(paged.page + 1) });
    return this.row(row);
  }

  /** Back (to `backData`, when given) and Home (the main menu). */
  nav(backData?: string): this {
    const row: InlineKeyboardButton[] = [];
    if (backData) row.push({ text: t('common.back', this.lang), callback_data: backData });
    row.push({ text: t('common.home', this.lang), callback_data: Nav.home.encode() });
    return this.row(row);
  }

  build(): InlineKeyboardButton[][] {
    const count = this.rows.reduce((n, r) => n + r.length, 0);
    if (count > KEYBOARD_MAX_BUTTONS) throw new Error(`keyboard of ${count} buttons`);
    return this.rows;
  }
}
