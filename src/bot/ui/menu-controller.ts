import { Injectable, Logger } from '@nestjs/common';
import type { Context } from 'telegraf';
import type { ReplyKeyboardMarkup } from 'telegraf/types';
import { RedisService } from '../../infra/redis/redis.service';
import type { TgUserContext } from '../api/tg-user-context';
import { checkScreen, Screen } from './screen';

const TTL_SECONDS = 30 * 24 * 3600;
const menuKey = (chatId: number) => `tg:menu:${chatId}`;
const inlineKey = (chatId: number) => `tg:inline:${chatId}`;
const currentKey = (chatId: number) => `tg:current_menu:${chatId}`;

/** Chats whose current menu's message this process remembers, at most (the longest unused forgotten first). */
const REMEMBERED_MAX = 20_000;

interface CurrentMenu extends Screen {
  messageId: number;
}

/**
 * The current menu's message as known to an update (read by the stale-menu check before the handler,
 * or written by the handler), so the handler's edit does not read it again: one chat's updates run one
 * at a time, and only this update's own handler changes it meanwhile.
 */
const seen = new WeakMap<object, number | null>();

const custodyOf = (ctx: Context) => (ctx.state as { user?: TgUserContext } | undefined)?.user?.custody;

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
  /**
   * Per chat, the current menu's message id (null: none) as this process last read or wrote it, and
   * under which custody (TgUserContext.custody). While an update comes with the same custody no other
   * process has shown the chat anything since, so the stale-menu check of a press needs no Redis read.
   */
  private readonly remembered = new Map<number, { custody: string; messageId: number | null }>();

  constructor(private readonly redis: RedisService) {}

  /** Edits the pressed menu in place when the update is a press on it; otherwise opens the screen anew. */
  async show(ctx: Context, screen: Screen): Promise<void> {
    checkScreen(screen);
    const chatId = ctx.chat!.id;
    const pressed = ctx.callbackQuery?.message?.message_id;
    if (pressed !== undefined && (await this.currentMessageId(ctx)) === pressed) {
      try {
        await ctx.telegram.editMessageText(chatId, pressed, undefined, screen.text, {
          reply_markup: { inline_keyboard: screen.keyboard },
        });
      } catch (err) {
        if (!isNotModified(err)) throw err;
      }
      const current: CurrentMenu = { ...screen, messageId: pressed };
      await this.written(ctx, pressed, () =>
        this.redis.client.set(currentKey(chatId), JSON.stringify(current), 'EX', TTL_SECONDS),
      );
      return;
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
    const older = await this.written(ctx, sent.message_id, () =>
      this.redis.client
        .multi()
        .lrange(inlineKey(chatId), 0, -1)
        .del(inlineKey(chatId))
        .rpush(inlineKey(chatId), String(sent.message_id))
        .expire(inlineKey(chatId), TTL_SECONDS)
        .set(currentKey(chatId), JSON.stringify(current), 'EX', TTL_SECONDS)
        .exec(),
    );
    const ids = ((older?.[0]?.[1] as string[] | undefined) ?? []).map(Number);
    await Promise.all(ids.map((id) => this.delete(ctx, chatId, id)));
  }

  /** Whether the press came from the menu currently shown (older menus are stale). */
  async isCurrent(ctx: Context, messageId: number): Promise<boolean> {
    return (await this.currentMessageId(ctx)) === messageId;
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
    const current = await this.current(chatId);
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

  /** The current menu's message in the update's chat: remembered under the update's custody, else read. */
  private async currentMessageId(ctx: Context): Promise<number | null> {
    const known = seen.get(ctx.update);
    if (known !== undefined) return known;
    const chatId = ctx.chat!.id;
    const custody = custodyOf(ctx);
    const held = this.remembered.get(chatId);
    let messageId: number | null;
    if (custody !== undefined && held?.custody === custody) {
      messageId = held.messageId;
      // Kept as the most recently used.
      this.remembered.delete(chatId);
      this.remembered.set(chatId, held);
    } else {
      messageId = (await this.current(chatId))?.messageId ?? null;
      this.remember(chatId, custody, messageId);
    }
    seen.set(ctx.update, messageId);
    return messageId;
  }

  /**
   * Runs the Redis write that makes `messageId` the chat's current menu, then remembers it; a write that
   * failed may still have landed, so the chat is then forgotten (the next press reads Redis).
   */
  private async written<T>(ctx: Context, messageId: number, write: () => Promise<T>): Promise<T> {
    const chatId = ctx.chat!.id;
    let result: T;
    try {
      result = await write();
    } catch (err) {
      this.remembered.delete(chatId);
      seen.delete(ctx.update);
      throw err;
    }
    this.remember(chatId, custodyOf(ctx), messageId);
    seen.set(ctx.update, messageId);
    return result;
  }

  private remember(chatId: number, custody: string | undefined, messageId: number | null): void {
    this.remembered.delete(chatId);
    if (custody === undefined) return;
    if (this.remembered.size >= REMEMBERED_MAX) this.remembered.delete(this.remembered.keys().next().value!);
    this.remembered.set(chatId, { custody, messageId });
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
