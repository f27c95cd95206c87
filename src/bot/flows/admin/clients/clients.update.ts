import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BookingsApi, LIVE_STATUSES, UsersApi } from '../../../../booking/api';
import { Clock } from '../../../../infra/clock/clock';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { PAGE_SIZE, Screen } from '../../../ui/screen';
import { AdminDesk } from '../bookings/admin-desk';
import { Clients } from './clients.routes';
import { blockAskScreen, clientCardScreen, clientsScreen } from './clients.screens';

/** While the clients list is shown, typed text searches it; the query stays for paging. */
const SEARCH_SCENE = 'admin.clients.search';
const QUERY_MAX = 120;
const HISTORY = 5;

interface Search {
  query?: string;
}

/** Clients: search by name or phone, paged; a card with bookings and no-shows; block / unblock. */
@BotFlow()
@ForRoles('admin')
export class ClientsUpdate implements OnModuleInit {
  constructor(
    private readonly users: UsersApi,
    private readonly bookings: BookingsApi,
    private readonly desk: AdminDesk,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.cl.menu',
      roles: ['admin'],
      order: 16,
      placement: 'home',
      data: () => Clients.all.encode(),
      open: async (ctx, user) => {
        await this.scenes.enter<Search>(ctx.chat!.id, SEARCH_SCENE, {});
        await this.menus.open(ctx, await this.listOf(user, 0));
      },
    });
    this.scenes.onInput<Search>(SEARCH_SCENE, (ctx, user, _search, text) => this.queryTyped(ctx, user, text));
  }

  async queryTyped(ctx: BotContext, user: TgUserContext, text: string): Promise<void> {
    const query = text.trim().slice(0, QUERY_MAX);
    await this.scenes.enter<Search>(ctx.chat!.id, SEARCH_SCENE, { query });
    await this.menus.open(ctx, await this.listOf(user, 0, query));
  }

  @Action(Clients.all.pattern)
  async onAll(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.enter<Search>(ctx.chat!.id, SEARCH_SCENE, {});
    await this.menus.show(ctx, await this.listOf(user, 0));
  }

  @Action(Clients.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = Clients.list.decode(callbackDataOf(ctx))!;
    const scene = await this.scenes.get<Search>(ctx.chat!.id);
    const query = scene?.scene === SEARCH_SCENE ? scene.data.query : undefined;
    await this.scenes.enter<Search>(ctx.chat!.id, SEARCH_SCENE, { query });
    await this.menus.show(ctx, await this.listOf(user, page, query));
  }

  @Action(Clients.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Clients.card.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.cardOf(user, id));
  }

  @Action(Clients.blockAsk.pattern)
  async onBlockAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Clients.blockAsk.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, blockAskScreen(user.lang, await this.users.get(actorOf(user), id)));
  }

  @Action(Clients.block.pattern)
  async onBlock(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, state] = Clients.block.decode(callbackDataOf(ctx))!;
    const blocked = state === 'on';
    await this.users.update(actorOf(user), id, { blocked });
    await ctx.answerCbQuery(t(blocked ? 'adm.cl.blocked_done' : 'adm.cl.unblocked_done', user.lang));
    await this.menus.show(ctx, await this.cardOf(user, id));
  }

  private async listOf(user: TgUserContext, page: number, query?: string): Promise<Screen> {
    const actor = actorOf(user);
    const filter = { role: 'client' as const, search: query || undefined };
    const { total } = await this.users.list(actor, { ...filter, limit: 1 });
    const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
    const p = Math.min(Math.max(0, page), pages - 1);
    const { items } = await this.users.list(actor, { ...filter, limit: PAGE_SIZE, offset: p * PAGE_SIZE });
    return clientsScreen(user.lang, { items, page: p, pages }, total, query);
  }

  private async cardOf(user: TgUserContext, id: number): Promise<Screen> {
    const actor = actorOf(user);
    const now = this.clock.now().toISOString();
    const [client, all, noShows, upcoming, pastCount] = await Promise.all([
      this.users.get(actor, id),
      this.bookings.list(actor, { clientId: id, limit: 1 }),
      this.bookings.list(actor, { clientId: id, status: ['no_show'], limit: 1 }),
      this.bookings.list(actor, { clientId: id, from: now, status: [...LIVE_STATUSES], limit: HISTORY }),
      this.bookings.list(actor, { clientId: id, to: now, limit: 1 }),
    ]);
    const offset = Math.max(0, pastCount.total - HISTORY);
    const past = pastCount.total
      ? (await this.bookings.list(actor, { clientId: id, to: now, limit: HISTORY, offset })).items.reverse()
      : [];
    const [upcomingLines, pastLines] = await Promise.all([
      this.desk.lines(actor, upcoming.items),
      this.desk.lines(actor, past),
    ]);
    return clientCardScreen(user.lang, {
      client,
      bookings: all.total,
      noShows: noShows.total,
      upcoming: upcomingLines,
      past: pastLines,
    });
  }
}
