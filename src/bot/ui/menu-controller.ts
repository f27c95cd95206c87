import { Injectable, Logger } from '@nestjs/common';
import type { Context } from 'telegraf';
import type { ReplyKeyboardMarkup } from 'telegraf/types';
import { RedisService } from '../../infra/redis/redis.service';
import { checkScreen, Screen } from './screen';

const TTL_SECONDS = 30 * 24 * 3600;
const menuKey = (chatId: number) => `tg:menu:${chatId}`;
const inlineKey = (chatId: number) => `tg:inline:${chatId}`;
const currentKey = (chatId: number) => `tg:current_menu:${chatId}`;

interface CurrentMenu extends Screen {
  messageId: number;
}

/**
 * The current menu as read once for an update (by the stale-menu check before the handler), so the
 * handler's edit does not read it again: one chat's updates run one at a time, and only this update's
 * own handler changes it meanwhile.
 */
const seen = new WeakMap<object, CurrentMenu | null>();

/** Telegram's answer when an edit changes nothing: the screen already shows what we wanted. */
const isNotModified = (err: unknown) => /message is not modified/i.test((err as Error)?.message ?? '');

/**
 * One menu per chat. The reply keyboard's anchor message is `tg:menu:{chat}`; every other screen is
 * one inline message, edited in place while the user navigates it. Opening a section sends a new one
 * and deletes the inline messages listed in `tg:inline:{chat}`; `tg:current_menu:{chat}` holds the
 * screen shown, so a press on an older message can be told apart and the current one shown again.
 */
@Injectable()
export class MenuController {
  private readonly logger = new Logger(MenuController.name);

  constructor(private readonly redis: RedisService) {}

  /** Edits the pressed menu in place when the update is a press on it; otherwise opens the screen anew. */
  async show(ctx: Context, screen: Screen): Promise<void> {
    checkScreen(screen);
    const chatId = ctx.chat!.id;
    const pressed = ctx.callbackQuery?.message?.message_id;
    if (pressed !== undefined) {
      const current = seen.has(ctx.update) ? seen.get(ctx.update) : await this.current(chatId);
      if (current?.messageId === pressed) {
        try {
          await ctx.telegram.editMessageText(chatId, pressed, undefined, screen.text, {
            reply_markup: { inline_keyboard: screen.keyboard },
          });
        } catch (err) {
          if (!isNotModified(err)) throw err;
        }
        const current: CurrentMenu = { ...screen, messageId: pressed };
        await this.redis.client.set(currentKey(chatId), JSON.stringify(current), 'EX', TTL_SECONDS);
        seen.set(ctx.update, current);
        return;
      }
    }
    await this.open(ctx, screen);
  }

  /** A new section: a new inline message at the bottom of the chat, the older menus removed. */
  async open(ctx: Context, screen: Screen): Promise<void> {
    checkScreen(screen);
    const chatId = ctx.chat!.id;
    const sent = await ctx.telegram.sendMessage(chatId, screen.text, {
      reply_markup: { inline_keyboard: screen.keyboard },
    });
    const current: CurrentMenu = { ...screen, messageId: sent.message_id };
    const older = await this.redis.client
      .multi()
      .lrange(inlineKey(chatId), 0, -1)
      .del(inlineKey(chatId))
      .rpush(inlineKey(chatId), String(sent.message_id))
      .expire(inlineKey(chatId), TTL_SECONDS)
      .set(currentKey(chatId), JSON.stringify(current), 'EX', TTL_SECONDS)
      .exec();
    seen.set(ctx.update, current);
    const ids = ((older?.[0]?.[1] as string[] | undefined) ?? []).map(Number);
    await Promise.all(ids.map((id) => this.delete(ctx, chatId, id)));
  }

  /** Whether the press came from the menu currently shown (older menus are stale). */
  async isCurrent(ctx: Context, messageId: number): Promise<boolean> {
    const current = await this.current(ctx.chat!.id);
    seen.set(ctx.update, current);
    return current?.messageId === messageId;
  }

  /** After a press on a stale menu: its buttons removed, the current screen shown again at the bottom. */
  async reshowCurrent(ctx: Context, fallback: () => Promise<Screen>): Promise<void> {
    const chatId = ctx.chat!.id;
    const stale = ctx.callbackQuery?.message?.message_id;
    if (stale !== undefined) {
      await ctx.telegram
        .editMessageReplyMarkup(chatId, stale, undefined, { inline_keyboard: [] })
        .catch((err: Error) => this.logger.debug(`stale menu kept its buttons: ${err.message}`));
    }
    const current = seen.has(ctx.update) ? seen.get(ctx.update) : await this.current(chatId);
    await this.open(ctx, current ? { text: current.text, keyboard: current.keyboard } : await fallback());
  }

  /** Sends the reply keyboard (the persistent main menu) with a short text; its message is the anchor. */
  async anchor(ctx: Context, text: string, keyboard: ReplyKeyboardMarkup): Promise<void> {
    const chatId = ctx.chat!.id;
    const sent = await ctx.telegram.sendMessage(chatId, text, { reply_markup: keyboard });
    const previous = await this.redis.client.set(
      menuKey(chatId),
      String(sent.message_id),
      'EX',
      TTL_SECONDS,
      'GET',
    );
    if (previous) await this.delete(ctx, chatId, Number(previous));
  }

  /** Whether the chat has been given its main menu before (a returning user). */
  async hasAnchor(chatId: number): Promise<boolean> {
    return (await this.redis.client.exists(menuKey(chatId))) === 1;
  }

  private async current(chatId: number): Promise<CurrentMenu | null> {
    const raw = await this.redis.client.get(currentKey(chatId));
    return raw ? (JSON.parse(raw) as CurrentMenu) : null;
  }

  private async delete(ctx: Context, chatId: number, messageId: number): Promise<void> {
    await ctx.telegram
      .deleteMessage(chatId, messageId)
      .catch((err: Error) => this.logger.debug(`old menu ${messageId} not deleted: ${err.message}`));
  }
}
