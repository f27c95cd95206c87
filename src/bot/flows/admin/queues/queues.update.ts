import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { LocationsApi } from '../../../../booking/api';
import { QueuesDashboardApi } from '../../../../notifications/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { dateTime } from '../../../ui/format';
import { MenuController } from '../../../ui/menu-controller';
import { Queues } from './queues.routes';
import { linkText, queuesScreen } from './queues.screens';

/** Queues: a one-time login link into Bull Board (valid 10 minutes, opens once), from QueuesDashboardApi. */
@BotFlow()
@ForRoles('admin')
export class QueuesUpdate implements OnModuleInit {
  constructor(
    private readonly dashboard: QueuesDashboardApi,
    private readonly locations: LocationsApi,
    private readonly menus: MenuController,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.que.menu',
      roles: ['admin'],
      order: 46,
      placement: 'home',
      data: () => Queues.show.encode(),
      open: (ctx, user) => this.menus.open(ctx, queuesScreen(user.lang)),
    });
  }

  @Action(Queues.show.pattern)
  async onShow(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.menus.show(ctx, queuesScreen(user.lang));
  }

  @Action(Queues.link.pattern)
  async onLink(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const actor = actorOf(user);
    const link = await this.dashboard.createLoginLink(actor);
    const { items } = await this.locations.list(actor, { limit: 1 });
    const until = dateTime(link.expiresAt, items[0]?.timeZone ?? 'UTC', user.lang);
    await ctx.answerCbQuery(t('adm.que.sent', user.lang));
    await ctx.telegram.sendMessage(ctx.chat!.id, linkText(user.lang, link.url, until));
    await this.menus.open(ctx, queuesScreen(user.lang));
  }
}
