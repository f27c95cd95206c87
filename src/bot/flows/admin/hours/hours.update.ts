import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import {
  LocationsApi,
  SchedulesApi,
  SpecialistDto,
  SpecialistsApi,
  WeeklyIntervalInput,
  WorkIntervalDto,
} from '../../../../booking/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { weekdayNames } from '../../../ui/format';
import { pageOf } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import type { Screen } from '../../../ui/screen';
import { hhmm, Interval, overlapOf, parseIntervals } from '../setup-input';
import { AdminHours } from './hours.routes';
import {
  copyScreen,
  dayScreen,
  intervalPromptScreen,
  intervalScreen,
  locationsScreen,
  specialistsScreen,
  weekScreen,
  WEEKDAYS,
} from './hours.screens';

const SCENE = 'adm.hours';

/** Intervals being typed for a day: added to it, or replacing one of its intervals. */
interface HoursDraft {
  specialistId: number;
  locationId: number;
  weekday: number;
  replaceId?: number;
}

const span = (i: Interval) => `${hhmm(i.startMin)}–${hhmm(i.endMin)}`;

const input = (i: WeeklyIntervalInput): WeeklyIntervalInput => ({
  weekday: i.weekday,
  startMin: i.startMin,
  endMin: i.endMin,
});

/**
 * Working hours: a specialist's week per location as a compact table; intervals added, changed and
 * removed (several a day), a day copied to other days; overlapping intervals refused with the reason.
 * Every change writes the whole week at once (SchedulesApi.replaceWeek).
 */
@BotFlow()
@ForRoles('admin')
export class AdminHoursUpdate implements OnModuleInit {
  constructor(
    private readonly schedules: SchedulesApi,
    private readonly specialists: SpecialistsApi,
    private readonly locations: LocationsApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.hours.menu',
      roles: ['admin'],
      order: 26,
      placement: 'home',
      data: () => AdminHours.specialists.encode(0),
      open: async (ctx, user) => this.menus.open(ctx, await this.specialistsOf(user, 0)),
    });
    this.scenes.onInput<HoursDraft>(SCENE, (ctx, user, draft, text) => this.typed(ctx, user, draft, text));
  }

  @Action(AdminHours.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminHours.specialists.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.specialistsOf(user, page));
  }

  /** A specialist's locations; with only one, straight to its week. */
  @Action(AdminHours.locations.pattern)
  async onLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminHours.locations.decode(callbackDataOf(ctx))!;
    const s = await this.specialists.get(actorOf(user), id);
    if (s.locations.length === 1) return this.menus.show(ctx, await this.weekOf(user, s, s.locations[0].id));
    await this.menus.show(ctx, locationsScreen(user.lang, s));
  }

  @Action(AdminHours.week.pattern)
  async onWeek(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, locationId] = AdminHours.week.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(
      ctx,
      await this.weekOf(user, await this.specialists.get(actorOf(user), id), locationId),
    );
  }

  @Action(AdminHours.day.pattern)
  async onDay(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, locationId, weekday] = AdminHours.day.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.dayOf(user, id, locationId, this.weekday(weekday)));
  }

  @Action(AdminHours.add.pattern)
  async onAdd(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [specialistId, locationId, weekday] = AdminHours.add.decode(callbackDataOf(ctx))!;
    await this.ask(ctx, user, { specialistId, locationId, weekday: this.weekday(weekday) });
  }

  @Action(AdminHours.interval.pattern)
  async onInterval(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, locationId, intervalId] = AdminHours.interval.decode(callbackDataOf(ctx))!;
    const interval = await this.intervalOf(user, id, locationId, intervalId);
    await this.menus.show(ctx, intervalScreen(user.lang, id, locationId, interval));
  }

  @Action(AdminHours.change.pattern)
  async onChange(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [specialistId, locationId, intervalId] = AdminHours.change.decode(callbackDataOf(ctx))!;
    const interval = await this.intervalOf(user, specialistId, locationId, intervalId);
    await this.ask(ctx, user, {
      specialistId,
      locationId,
      weekday: interval.weekday,
      replaceId: interval.id,
    });
  }

  @Action(AdminHours.remove.pattern)
  async onRemove(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, locationId, intervalId] = AdminHours.remove.decode(callbackDataOf(ctx))!;
    const interval = await this.intervalOf(user, id, locationId, intervalId);
    const week = await this.schedules.getWeek(actorOf(user), id, locationId);
    await this.replace(
      user,
      id,
      locationId,
      week.filter((i) => i.id !== intervalId),
    );
    await ctx.answerCbQuery(t('adm.hours.removed', user.lang));
    await this.menus.show(
      ctx,
      await this.dayOf(user, id, locationId, interval.weekday, t('adm.hours.removed', user.lang)),
    );
  }

  @Action(AdminHours.copy.pattern)
  async onCopy(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, locationId, weekday, mask] = AdminHours.copy.decode(callbackDataOf(ctx))!;
    const week = await this.schedules.getWeek(actorOf(user), id, locationId);
    const day = this.weekday(weekday);
    const source = week.filter((i) => i.weekday === day);
    await this.menus.show(ctx, copyScreen(user.lang, id, locationId, day, mask & 0x7f, source));
  }

  /** The chosen days get the source day's intervals in place of theirs. */
  @Action(AdminHours.copyApply.pattern)
  async onCopyApply(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, locationId, weekday, mask] = AdminHours.copyApply.decode(callbackDataOf(ctx))!;
    const day = this.weekday(weekday);
    const targets = WEEKDAYS.filter((d) => d !== day && mask & (1 << (d - 1)));
    const week = await this.schedules.getWeek(actorOf(user), id, locationId);
    const source = week.filter((i) => i.weekday === day);
    const kept = week.filter((i) => !targets.includes(i.weekday));
    const copies = targets.flatMap((d) => source.map((i) => ({ ...input(i), weekday: d })));
    await this.replace(user, id, locationId, [...kept, ...copies]);
    const names = weekdayNames(user.lang);
    const notice = t('adm.hours.copied', user.lang, { days: targets.map((d) => names[d - 1]).join(', ') });
    const s = await this.specialists.get(actorOf(user), id);
    await this.menus.show(ctx, await this.weekOf(user, s, locationId, notice));
  }

  private weekday(value: number): number {
    if (!WEEKDAYS.includes(value)) throw new BotError('error.refused');
    return value;
  }

  private async ask(ctx: BotContext, user: TgUserContext, draft: HoursDraft): Promise<void> {
    await this.schedules.getWeek(actorOf(user), draft.specialistId, draft.locationId);
    await this.scenes.enter(ctx.chat!.id, SCENE, draft);
    await this.menus.open(
      ctx,
      intervalPromptScreen(user.lang, draft.specialistId, draft.locationId, draft.weekday),
    );
  }

  private async typed(ctx: BotContext, user: TgUserContext, draft: HoursDraft, text: string): Promise<void> {
    const added = parseIntervals(text).map((i) => ({ ...i, weekday: draft.weekday }));
    const week = await this.schedules.getWeek(actorOf(user), draft.specialistId, draft.locationId);
    await this.replace(user, draft.specialistId, draft.locationId, [
      ...week.filter((i) => i.id !== draft.replaceId),
      ...added,
    ]);
    await this.scenes.leave(ctx.chat!.id);
    const screen = await this.dayOf(
      user,
      draft.specialistId,
      draft.locationId,
      draft.weekday,
      t('adm.common.saved', user.lang),
    );
    await this.menus.open(ctx, screen);
  }

  /**
   * Writes the week. Refused with the reason: two intervals of one day that overlap, or one that
   * overlaps the specialist's hours at another location (a person is in one place at a time).
   */
  private async replace(
    user: TgUserContext,
    specialistId: number,
    locationId: number,
    week: WeeklyIntervalInput[],
  ): Promise<void> {
    const actor = actorOf(user);
    const day = (d: number) => weekdayNames(user.lang)[d - 1];
    for (const d of WEEKDAYS) {
      const overlap = overlapOf(week.filter((i) => i.weekday === d));
      if (overlap)
        throw new BotError('adm.hours.overlap', { day: day(d), a: span(overlap[0]), b: span(overlap[1]) });
    }
    const s = await this.specialists.get(actor, specialistId);
    for (const other of s.locations.filter((l) => l.id !== locationId)) {
      const theirs = await this.schedules.getWeek(actor, specialistId, other.id);
      for (const wanted of week) {
        const clash = theirs.find(
          (i) => i.weekday === wanted.weekday && i.startMin < wanted.endMin && wanted.startMin < i.endMin,
        );
        if (clash)
          throw new BotError('adm.hours.overlap_elsewhere', {
            day: day(wanted.weekday),
            a: span(wanted),
            name: s.name,
            location: other.name,
            b: span(clash),
          });
      }
    }
    await this.schedules.replaceWeek(actor, specialistId, locationId, week.map(input));
  }

  private async intervalOf(
    user: TgUserContext,
    specialistId: number,
    locationId: number,
    intervalId: number,
  ): Promise<WorkIntervalDto> {
    const week = await this.schedules.getWeek(actorOf(user), specialistId, locationId);
    const interval = week.find((i) => i.id === intervalId);
    if (!interval) throw new BotError('adm.hours.interval_gone');
    return interval;
  }

  private async dayOf(user: TgUserContext, id: number, locationId: number, weekday: number, notice?: string) {
    const week = await this.schedules.getWeek(actorOf(user), id, locationId);
    return dayScreen(
      user.lang,
      id,
      locationId,
      weekday,
      week.filter((i) => i.weekday === weekday),
      notice,
    );
  }

  private async weekOf(
    user: TgUserContext,
    s: SpecialistDto,
    locationId: number,
    notice?: string,
  ): Promise<Screen> {
    const actor = actorOf(user);
    const [week, location] = await Promise.all([
      this.schedules.getWeek(actor, s.id, locationId),
      this.locations.get(actor, locationId),
    ]);
    return weekScreen(user.lang, s, location, week, notice);
  }

  private async specialistsOf(user: TgUserContext, page: number): Promise<Screen> {
    const { items } = await this.specialists.list(actorOf(user), { active: 'true', limit: 200 });
    return specialistsScreen(user.lang, pageOf(items, page));
  }
}
