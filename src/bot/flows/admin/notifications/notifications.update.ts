import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import {
  AdTemplatesApi,
  NOTIFICATION_CHANNELS,
  NOTIFICATION_EVENT_TYPES,
  NotificationSettingsApi,
  RECIPIENT_ROLES,
} from '../../../../notifications/api';
import type { Actor } from '../../../../common/actor';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { PAGE_SIZE } from '../../../ui/screen';
import { Notifications } from './notifications.routes';
import { adChoiceScreen, Cell, eventsScreen, matrixScreen } from './notifications.screens';

type At = [number, number, number];

/** Notifications: per event, which role hears of it on which channel (toggles), and the ad appended to each. */
@BotFlow()
@ForRoles('admin')
export class NotificationsUpdate implements OnModuleInit {
  constructor(
    private readonly settings: NotificationSettingsApi,
    private readonly ads: AdTemplatesApi,
    private readonly menus: MenuController,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.ntf.menu',
      roles: ['admin'],
      order: 40,
      placement: 'home',
      data: () => Notifications.events.encode(),
      open: (ctx, user) => this.menus.open(ctx, eventsScreen(user.lang)),
    });
  }

  @Action(Notifications.events.pattern)
  async onEvents(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.menus.show(ctx, eventsScreen(user.lang));
  }

  @Action(Notifications.matrix.pattern)
  async onMatrix(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [event] = Notifications.matrix.decode(callbackDataOf(ctx))!;
    await this.showMatrix(ctx, user, this.checked([event, 0, 0])[0]);
  }

  @Action(Notifications.toggle.pattern)
  async onToggle(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const at = this.checked(Notifications.toggle.decode(callbackDataOf(ctx))!);
    const actor = actorOf(user);
    const cell = (await this.cells(actor, at[0]))[at[1]][at[2]];
    await this.save(actor, at, !cell.enabled, cell.adTemplateId);
    await ctx.answerCbQuery(t(cell.enabled ? 'adm.ntf.turned_off' : 'adm.ntf.turned_on', user.lang));
    await this.showMatrix(ctx, user, at[0]);
  }

  @Action(Notifications.ads.pattern)
  async onAds(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [e, r, c, page] = Notifications.ads.decode(callbackDataOf(ctx))!;
    const at = this.checked([e, r, c]);
    const actor = actorOf(user);
    const cell = (await this.cells(actor, e))[r][c];
    const found = await this.ads.list(actor, { active: 'true', limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    await this.menus.show(
      ctx,
      adChoiceScreen(user.lang, at, cell.adTemplateId, { items: found.items, page, pages }),
    );
  }

  @Action(Notifications.setAd.pattern)
  async onSetAd(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [e, r, c, adId] = Notifications.setAd.decode(callbackDataOf(ctx))!;
    const at = this.checked([e, r, c]);
    const actor = actorOf(user);
    if (adId) await this.ads.get(actor, adId);
    const cell = (await this.cells(actor, e))[r][c];
    await this.save(actor, at, cell.enabled, adId || null);
    await ctx.answerCbQuery(t('adm.ntf.ad_saved', user.lang));
    await this.showMatrix(ctx, user, e);
  }

  private async showMatrix(ctx: BotContext, user: TgUserContext, event: number): Promise<void> {
    await this.menus.show(ctx, matrixScreen(user.lang, event, await this.cells(actorOf(user), event)));
  }

  /** Indexes from a button: a forged one naming no event, role or channel is refused. */
  private checked([e, r, c]: readonly number[]): At {
    if (
      e >= NOTIFICATION_EVENT_TYPES.length ||
      r >= RECIPIENT_ROLES.length ||
      c >= NOTIFICATION_CHANNELS.length
    )
      throw new BotError('error.refused');
    return [e, r, c];
  }

  private async save(actor: Actor, [e, r, c]: At, enabled: boolean, adTemplateId: number | null) {
    await this.settings.upsert(actor, {
      eventType: NOTIFICATION_EVENT_TYPES[e],
      recipientRole: RECIPIENT_ROLES[r],
      channel: NOTIFICATION_CHANNELS[c],
      enabled,
      adTemplateId,
    });
  }

  /** The event's cells, role by channel; a cell without a row is on, without an ad (as the composer reads it). */
  private async cells(actor: Actor, event: number): Promise<Cell[][]> {
    const eventType = NOTIFICATION_EVENT_TYPES[event];
    const { items } = await this.settings.list(actor, { eventType, limit: 50 });
    const adIds = [...new Set(items.map((s) => s.adTemplateId).filter((id): id is number => id !== null))];
    const names = new Map(
      await Promise.all(adIds.map(async (id) => [id, (await this.ads.get(actor, id)).name] as const)),
    );
    return RECIPIENT_ROLES.map((role) =>
      NOTIFICATION_CHANNELS.map((channel) => {
        const row = items.find((s) => s.recipientRole === role && s.channel === channel);
        const adTemplateId = row?.adTemplateId ?? null;
        return {
          enabled: row?.enabled ?? true,
          adTemplateId,
          adName: adTemplateId === null ? null : (names.get(adTemplateId) ?? null),
        };
      }),
    );
  }
}
