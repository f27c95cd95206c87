import { Injectable } from '@nestjs/common';
import type { ReplyKeyboardMarkup } from 'telegraf/types';
import type { Role } from '../../common/actor';
import type { TgUserContext } from '../api/tg-user-context';
import type { BotContext } from '../core/bot-context';
import { t, textsOf, TextKey } from '../i18n/i18n';
import { KeyboardBuilder } from './keyboard';
import type { Screen } from './screen';

/** A section of the main menu, registered by the flow that owns it. */
export interface MenuEntry {
  /** Its label (a reply-keyboard button and an inline button on the home screen). */
  key: TextKey;
  /** Who sees it. A role's own sections come first (lower order), the client's after them. */
  roles: readonly Role[];
  order: number;
  /** Where its button is: the reply keyboard, the inline home screen, or both. */
  placement: 'both' | 'keyboard' | 'home';
  /** The data of its inline button on the home screen (the section's first screen). */
  data?: () => string;
  /** Opens the section as a new menu (from the reply keyboard or a command). */
  open: (ctx: BotContext, user: TgUserContext) => Promise<void>;
}

export const EVERYONE: readonly Role[] = ['admin', 'specialist', 'client'];

/**
 * The main menu per role: the persistent reply keyboard and the inline home screen Home leads to.
 * Flows register their sections at start, so adding a section touches only its own flow.
 */
@Injectable()
export class BotMenu {
  private readonly entries: MenuEntry[] = [];
  private readonly byLabel = new Map<string, MenuEntry>();

  register(entry: MenuEntry): void {
    this.entries.push(entry);
    this.entries.sort((a, b) => a.order - b.order);
    // The keyboard may predate a language change: its labels are recognised in either language.
    for (const text of textsOf(entry.key)) this.byLabel.set(text, entry);
  }

  /** The section a reply-keyboard label opens, if the user's role has it. */
  byText(text: string, role: Role): MenuEntry | undefined {
    const entry = this.byLabel.get(text.trim());
    return entry?.roles.includes(role) ? entry : undefined;
  }

  sectionsOf(role: Role): MenuEntry[] {
    return this.entries.filter((e) => e.roles.includes(role));
  }

  /** The persistent reply keyboard: the role's keyboard sections, two a row. */
  keyboard(user: TgUserContext): ReplyKeyboardMarkup {
    const labels = this.sectionsOf(user.role)
      .filter((e) => e.placement !== 'home')
      .map((e) => t(e.key, user.lang));
    const keyboard = [];
    for (let i = 0; i < labels.length; i += 2)
      keyboard.push(labels.slice(i, i + 2).map((text) => ({ text })));
    return { keyboard, resize_keyboard: true, is_persistent: true };
  }

  /** Home: every section of the role as an inline button. */
  home(user: TgUserContext): Screen {
    const kb = new KeyboardBuilder(user.lang);
    const sections = this.sectionsOf(user.role).filter((e) => e.placement !== 'keyboard' && e.data);
    kb.grid(
      sections.map((e) => ({ text: t(e.key, user.lang), callback_data: e.data!() })),
      sections.length > 4 ? 2 : 1,
    );
    return { text: t('home.title', user.lang), keyboard: kb.build() };
  }
}
