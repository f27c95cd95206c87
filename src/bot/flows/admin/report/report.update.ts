import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { LocationsApi, ReportPeriod, REPORT_PERIODS, ReportsApi, SettingsApi } from '../../../../booking/api';
import { Clock } from '../../../../infra/clock/clock';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { BotMenu } from '../../../ui/bot-menu';
import { localDate } from '../../../ui/format';
import { MenuController } from '../../../ui/menu-controller';
import type { Screen } from '../../../ui/screen';
import { Report } from './report.routes';
import { reportScreen } from './report.screens';

/** Report: bookings, done, no-shows, cancellations and revenue for a day, week or month (ReportsApi). */
@BotFlow()
@ForRoles('admin')
export class ReportUpdate implements OnModuleInit {
  constructor(
    private readonly reports: ReportsApi,
    private readonly locations: LocationsApi,
    private readonly settings: SettingsApi,
    private readonly clock: Clock,
    private readonly menus: MenuController,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.rep.menu',
      roles: ['admin'],
      order: 50,
      placement: 'home',
      data: () => Report.show.encode('week', localDate(this.clock.now(), 'UTC')),
      open: async (ctx, user) =>
        this.menus.open(ctx, await this.screenOf(user, 'week', await this.today(user))),
    });
  }

  @Action(Report.show.pattern)
  async onShow(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [period, date] = Report.show.decode(callbackDataOf(ctx))!;
    const known = (REPORT_PERIODS as readonly string[]).includes(period) ? (period as ReportPeriod) : 'week';
    await this.menus.show(ctx, await this.screenOf(user, known, date));
  }

  /** Today in the first location's zone (the salon's day). */
  private async today(user: TgUserContext): Promise<string> {
    const { items } = await this.locations.list(actorOf(user), { limit: 1 });
    return localDate(this.clock.now(), items[0]?.timeZone ?? 'UTC');
  }

  private async screenOf(user: TgUserContext, period: ReportPeriod, date: string): Promise<Screen> {
    const actor = actorOf(user);
    const [report, settings] = await Promise.all([
      this.reports.bookings(actor, { period, date }),
      this.settings.get(actor),
    ]);
    return reportScreen(user.lang, report, settings.currency);
  }
}
