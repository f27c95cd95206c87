import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { BookingsApi, CELL_MINUTES, LocationDto } from '../../../../booking/api';
import { Clock } from '../../../../infra/clock/clock';
import { SlotsApi } from '../../../../slots/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { BotMenu } from '../../../ui/bot-menu';
import { localDate } from '../../../ui/format';
import { MenuController } from '../../../ui/menu-controller';
import type { Screen } from '../../../ui/screen';
import { AdminDesk, SHOWN_STATUSES } from '../bookings/admin-desk';
import { dayBounds } from '../bookings/day-bounds';
import { Today } from './today.routes';
import { SpecialistDay, todayLocationsScreen, todayScreen } from './today.screens';

/**
 * Today, per location: the bookings by specialist, what waits for confirmation and the free time
 * left (the free cells of the slots grid from now on), each booking a tap away.
 */
@BotFlow()
@ForRoles('admin')
export class TodayUpdate implements OnModuleInit {
  constructor(
    private readonly bookings: BookingsApi,
    private readonly slots: SlotsApi,
    private readonly desk: AdminDesk,
    private readonly menus: MenuController,
    private readonly botMenu: BotMenu,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.today.menu',
      roles: ['admin'],
      order: 10,
      placement: 'keyboard',
      open: async (ctx, user) => this.menus.open(ctx, await this.firstScreen(user)),
    });
  }

  @Action(Today.locations.pattern)
  async onLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.menus.show(ctx, await this.firstScreen(user));
  }

  @Action(Today.show.pattern)
  async onShow(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [locationId, page] = Today.show.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const [location, locations] = await Promise.all([
      this.desk.catalog.location(actor, locationId),
      this.desk.catalog.activeLocations(actor),
    ]);
    await this.menus.show(ctx, await this.todayOf(user, location, page, locations.length > 1));
  }

  /** One location: its day at once; several: the choice first. */
  private async firstScreen(user: TgUserContext): Promise<Screen> {
    const locations = await this.desk.catalog.activeLocations(actorOf(user));
    if (!locations.length) throw new BotError('adm.bk.no_locations');
    if (locations.length === 1) return this.todayOf(user, locations[0], 0, false);
    return todayLocationsScreen(user.lang, locations);
  }

  private async todayOf(user: TgUserContext, location: LocationDto, page: number, severalLocations: boolean) {
    const actor = actorOf(user);
    const now = this.clock.now();
    const date = localDate(now, location.timeZone);
    const [{ items }, grid] = await Promise.all([
      this.bookings.list(actor, {
        ...dayBounds(date, location.timeZone),
        locationId: location.id,
        status: SHOWN_STATUSES,
        limit: 200,
      }),
      this.slots.grid(actor, { locationId: location.id, date }),
    ]);
    const lines = await this.desk.lines(actor, items);
    const specialists: SpecialistDay[] = grid.specialists.map((s) => ({
      name: s.name,
      bookings: items.filter((b) => b.specialistId === s.id).length,
      freeMin:
        s.cells.filter((state, i) => {
          const startAt = grid.cells[i]?.startAt;
          return state === 'free' && startAt !== null && startAt !== undefined && new Date(startAt) >= now;
        }).length * CELL_MINUTES,
    }));
    return todayScreen(user.lang, { location, date, lines, page, specialists, severalLocations });
  }
}
