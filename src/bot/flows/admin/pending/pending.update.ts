import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BookingsApi } from '../../../../booking/api';
import { Clock } from '../../../../infra/clock/clock';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { PAGE_SIZE } from '../../../ui/screen';
import { AdminDesk } from '../bookings/admin-desk';
import { Pending } from './pending.routes';
import { pendingScreen } from './pending.screens';

/** Bookings waiting for the admin (auto-confirm off): each card confirms or declines, and the client is told. */
@BotFlow()
@ForRoles('admin')
export class PendingUpdate implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly desk: AdminDesk,
    private readonly menus: MenuController,
    private readonly botMenu: BotMenu,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.pend.menu',
      roles: ['admin'],
      order: 14,
      placement: 'keyboard',
      open: async (ctx, user) => this.menus.open(ctx, await this.listOf(user, 0)),
    });
  }

  @Action(Pending.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = Pending.list.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.listOf(user, page));
  }

  private async listOf(user: TgUserContext, page: number) {
    const actor = actorOf(user);
    const query = { status: ['pending' as const], from: this.clock.now().toISOString() };
    const [{ total }, settings] = await Promise.all([
      this.bookings.list(actor, { ...query, limit: 1 }),
      this.desk.catalog.businessSettings(actor),
    ]);
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const p = Math.min(Math.max(0, page), pages - 1);
    const { items } = await this.bookings.list(actor, { ...query, limit: PAGE_SIZE, offset: p * PAGE_SIZE });
    const lines = await this.desk.lines(actor, items);
    return pendingScreen(user.lang, { items: lines, page: p, pages }, total, settings.autoConfirm);
  }
}
