import { Injectable } from '@nestjs/common';
import type { Context, MiddlewareFn } from 'telegraf';
import { routeOf } from '../api/callback-codec';
import { t } from '../i18n/i18n';
import { BotMenu } from '../ui/bot-menu';
import { MenuController } from '../ui/menu-controller';
import { BotContext, callbackDataOf } from './bot-context';

/**
 * Before any button handler: a press on a menu that is no longer the current one (or with data no
 * route knows) is answered "this menu has expired" and the current screen is shown again. Buttons
 * that notifications carry work from any message.
 */
@Injectable()
export class StaleMenus {
  constructor(
    private readonly menus: MenuController,
    private readonly botMenu: BotMenu,
  ) {}

  middleware(): MiddlewareFn<Context> {
    // Not async itself: anything but a press in a chat passes with no promise of its own.
    return (ctx, next) => {
      const data = callbackDataOf(ctx);
      return data === undefined || !ctx.chat ? next() : this.check(ctx, next, data);
    };
  }

  private async check(ctx: Context, next: () => Promise<void>, data: string): Promise<void> {
    const known = routeOf(data);
    if (known?.options.anyMessage) return next();
    const messageId = ctx.callbackQuery?.message?.message_id;
    if (known && messageId !== undefined && (await this.menus.isCurrent(ctx, messageId))) return next();
    const { user } = (ctx as BotContext).state;
    await ctx.answerCbQuery(t('common.menu_expired', user.lang));
    await this.menus.reshowCurrent(ctx, async () => this.botMenu.home(user));
  }
}
