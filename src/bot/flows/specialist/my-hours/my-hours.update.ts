import { OnModuleInit } from '@nestjs/common';
import { DateTime } from 'luxon';
import { SchedulesApi, SpecialistsApi } from '../../../../booking/api';
import { Clock } from '../../../../infra/clock/clock';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { ownProfile } from '../own-profile';
import { EXCEPTIONS_SHOWN, hoursScreen } from './my-hours.screens';

/** My hours: the weekly intervals per location and the coming exceptions, read only (the admin edits them). */
@BotFlow()
@ForRoles('specialist')
export class MyHoursUpdate implements OnModuleInit {
  constructor(
    private readonly specialists: SpecialistsApi,
    private readonly schedules: SchedulesApi,
    private readonly menus: MenuController,
    private readonly clock: Clock,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'spec.menu.my_hours',
      roles: ['specialist'],
      order: 62,
      placement: 'keyboard',
      open: (ctx, user) => this.open(ctx, user),
    });
  }

  async open(ctx: BotContext, user: TgUserContext): Promise<void> {
    const actor = actorOf(user);
    const me = await ownProfile(this.specialists, user);
    const weeks = await Promise.all(
      me.locations.map(async (l) => ({
        id: l.id,
        name: l.name,
        intervals: await this.schedules.getWeek(actor, me.id, l.id),
      })),
    );
    // From the earliest "today" among the zones, so nothing of today is missed anywhere.
    const from = DateTime.fromJSDate(this.clock.now(), { zone: 'Etc/GMT+12' }).toISODate()!;
    const exceptions = await this.schedules.listExceptions(actor, {
      specialistId: me.id,
      from,
      limit: EXCEPTIONS_SHOWN,
    });
    await this.menus.open(ctx, hoursScreen(user.lang, weeks, exceptions.items, exceptions.total));
  }
}
