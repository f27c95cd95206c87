import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BroadcastsApi, RECIPIENT_ROLES } from '../../../../notifications/api';
import { RedisService } from '../../../../infra/redis/redis.service';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { BroadcastWatcher } from './broadcast-watcher';
import { Broadcast } from './broadcast.routes';
import {
  BROADCAST_TEXT_MAX,
  CLIENTS_ONLY,
  composeScreen,
  progressText,
  rolesOf,
  sendAskScreen,
  sentScreen,
  startScreen,
} from './broadcast.screens';

const SCENE = 'adm.bc.text';
const DRAFT_TTL_SECONDS = 24 * 3600;
const draftKey = (chatId: number) => `tg:broadcast_draft:${chatId}`;
const ALL_ROLES = (1 << RECIPIENT_ROLES.length) - 1;

/**
 * Broadcast: type the text, choose the roles, preview it as recipients see it, confirm; then one
 * progress message edited in place (queued, sent, failed) until done. The draft's text is in Redis.
 */
@BotFlow()
@ForRoles('admin')
export class BroadcastUpdate implements OnModuleInit {
  constructor(
    private readonly broadcasts: BroadcastsApi,
    private readonly watcher: BroadcastWatcher,
    private readonly redis: RedisService,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.bc.menu',
      roles: ['admin'],
      order: 44,
      placement: 'home',
      data: () => Broadcast.start.encode(),
      open: (ctx, user) => this.start(ctx, user),
    });
    this.scenes.onInput(SCENE, (ctx, user, _data, text) => this.typed(ctx, user, text));
  }

  @Action(Broadcast.start.pattern)
  async onStart(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.start(ctx, user);
  }

  @Action(Broadcast.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [mask] = Broadcast.card.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, composeScreen(user.lang, await this.draft(ctx), mask & ALL_ROLES));
  }

  @Action(Broadcast.role.pattern)
  async onRole(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [mask, role] = Broadcast.role.decode(callbackDataOf(ctx))!;
    await this.menus.show(
      ctx,
      composeScreen(user.lang, await this.draft(ctx), (mask ^ (1 << role)) & ALL_ROLES),
    );
  }

  /** The message exactly as it will be sent (an ad set for the broadcast event is appended per role). */
  @Action(Broadcast.preview.pattern)
  async onPreview(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [mask] = Broadcast.preview.decode(callbackDataOf(ctx))!;
    const text = await this.draft(ctx);
    await ctx.answerCbQuery();
    await ctx.telegram.sendMessage(ctx.chat!.id, text);
    await this.menus.open(ctx, composeScreen(user.lang, text, mask & ALL_ROLES));
  }

  @Action(Broadcast.sendAsk.pattern)
  async onSendAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [mask] = Broadcast.sendAsk.decode(callbackDataOf(ctx))!;
    await this.draft(ctx);
    await this.menus.show(ctx, sendAskScreen(user.lang, mask & ALL_ROLES));
  }

  @Action(Broadcast.send.pattern)
  async onSend(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [mask] = Broadcast.send.decode(callbackDataOf(ctx))!;
    const roles = rolesOf(mask & ALL_ROLES);
    if (!roles.length) throw new BotError('adm.bc.no_roles_chosen');
    const chatId = ctx.chat!.id;
    const text = await this.draft(ctx);
    const actor = actorOf(user);
    const sent = await this.broadcasts.send(actor, { text, roles });
    await this.redis.client.del(draftKey(chatId));
    await ctx.answerCbQuery(t('adm.bc.queued', user.lang));
    await this.menus.show(ctx, sentScreen(user.lang));
    const shown = progressText(user.lang, { total: null, sent: 0, failed: 0, queued: 0, done: false });
    const progress = await ctx.telegram.sendMessage(chatId, shown);
    await this.watcher.follow(actor, user.lang, sent.id, chatId, progress.message_id, shown);
  }

  private async start(ctx: BotContext, user: TgUserContext): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, SCENE, {});
    await this.menus.open(ctx, startScreen(user.lang));
  }

  private async typed(ctx: BotContext, user: TgUserContext, typed: string): Promise<void> {
    const text = typed.trim();
    if (!text || text.length > BROADCAST_TEXT_MAX)
      throw new BotError('adm.bc.text_invalid', { max: BROADCAST_TEXT_MAX });
    const chatId = ctx.chat!.id;
    await this.redis.client.set(draftKey(chatId), text, 'EX', DRAFT_TTL_SECONDS);
    await this.scenes.leave(chatId);
    await this.menus.open(ctx, composeScreen(user.lang, text, CLIENTS_ONLY));
  }

  /** The draft's text; gone (a day old, or sent) means starting again. */
  private async draft(ctx: BotContext): Promise<string> {
    const text = await this.redis.client.get(draftKey(ctx.chat!.id));
    if (!text) throw new BotError('adm.bc.no_draft');
    return text;
  }
}
