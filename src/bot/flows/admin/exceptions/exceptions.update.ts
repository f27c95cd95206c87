import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { DateTime } from 'luxon';
import {
  BookingDto,
  BookingsApi,
  LIVE_STATUSES,
  LocationsApi,
  ScheduleExceptionDto,
  SchedulesApi,
  ServicesApi,
  SpecialistsApi,
  UsersApi,
} from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import { DomainError, ErrorCode } from '../../../../common/errors';
import { Clock } from '../../../../infra/clock/clock';
import { BotMessenger } from '../../../api/bot-messenger.api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { dateTime, localTime } from '../../../ui/format';
import { pageOf } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import type { Screen } from '../../../ui/screen';
import { MESSAGE_MAX, parseDate, parseFreeText, parseInterval } from '../setup-input';
import { AdminExceptions } from './exceptions.routes';
import {
  cardScreen,
  CollisionLine,
  ExceptionView,
  kindScreen,
  listScreen,
  locationsScreen,
  previewScreen,
  promptScreen,
  savedScreen,
  specialistLocationsScreen,
  specialistsScreen,
} from './exceptions.screens';

const SCENE = 'adm.exc';

/** specialist (0: the whole location), location, date, start, end (0, 0: a day off) */
type Pending = [number, number, string, number, number];

/** What the scene waits for: the date, the custom hours, or the message to the colliding clients. */
interface ExceptionDraft {
  step: 'date' | 'hours' | 'text';
  specialistId: number;
  locationId: number;
  date?: string;
  startMin?: number;
  endMin?: number;
}

const isDayOff = ([, , , start, end]: Pending) => start === 0 && end === 0;

/**
 * Exceptions and closures: a specialist's day off or custom hours on a date, a location closed on a
 * date. Before saving, the live bookings it collides with are listed: their clients can be sent the
 * admin's text (through BotMessenger), or each booking opened to move it (the admin's move).
 */
@BotFlow()
@ForRoles('admin')
export class AdminExceptionsUpdate implements OnModuleInit {
  constructor(
    private readonly schedules: SchedulesApi,
    private readonly specialists: SpecialistsApi,
    private readonly locations: LocationsApi,
    private readonly bookings: BookingsApi,
    private readonly services: ServicesApi,
    private readonly users: UsersApi,
    private readonly messenger: BotMessenger,
    private readonly clock: Clock,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.exc.menu',
      roles: ['admin'],
      order: 28,
      placement: 'home',
      data: () => AdminExceptions.list.encode(0),
      open: async (ctx, user) => this.menus.open(ctx, await this.listOf(user, 0)),
    });
    this.scenes.onInput<ExceptionDraft>(SCENE, (ctx, user, draft, text) =>
      this.typed(ctx, user, draft, text),
    );
  }

  @Action(AdminExceptions.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminExceptions.list.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.listOf(user, page));
  }

  @Action(AdminExceptions.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminExceptions.card.decode(callbackDataOf(ctx))!;
    const exception = await this.exceptionOf(actorOf(user), id);
    await this.menus.show(
      ctx,
      cardScreen(user.lang, { ...(await this.viewOf(actorOf(user), exception)), id }),
    );
  }

  @Action(AdminExceptions.remove.pattern)
  async onRemove(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminExceptions.remove.decode(callbackDataOf(ctx))!;
    await this.schedules.removeException(actorOf(user), id);
    await ctx.answerCbQuery(t('adm.exc.removed', user.lang));
    await this.menus.show(ctx, await this.listOf(user, 0));
  }

  @Action(AdminExceptions.specialists.pattern)
  async onSpecialists(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminExceptions.specialists.decode(callbackDataOf(ctx))!;
    const { items } = await this.specialists.list(actorOf(user), { active: 'true', limit: 200 });
    await this.menus.show(ctx, specialistsScreen(user.lang, pageOf(items, page)));
  }

  /** The specialist's locations; with only one, straight to the date. */
  @Action(AdminExceptions.specialistLocations.pattern)
  async onSpecialistLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminExceptions.specialistLocations.decode(callbackDataOf(ctx))!;
    const s = await this.specialists.get(actorOf(user), id);
    if (s.locations.length === 1) return this.askDate(ctx, user, s.id, s.locations[0].id);
    await this.menus.show(ctx, specialistLocationsScreen(user.lang, s));
  }

  @Action(AdminExceptions.locations.pattern)
  async onLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminExceptions.locations.decode(callbackDataOf(ctx))!;
    const { items } = await this.locations.list(actorOf(user), { active: 'true', limit: 200 });
    await this.menus.show(ctx, locationsScreen(user.lang, pageOf(items, page)));
  }

  @Action(AdminExceptions.date.pattern)
  async onDate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [specialistId, locationId] = AdminExceptions.date.decode(callbackDataOf(ctx))!;
    await this.askDate(ctx, user, specialistId, locationId);
  }

  @Action(AdminExceptions.hours.pattern)
  async onHours(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [specialistId, locationId, date] = AdminExceptions.hours.decode(callbackDataOf(ctx))!;
    await this.specialists.get(actorOf(user), specialistId);
    await this.scenes.enter<ExceptionDraft>(ctx.chat!.id, SCENE, {
      step: 'hours',
      specialistId,
      locationId,
      date,
    });
    await this.menus.open(ctx, promptScreen(user.lang, t('adm.exc.ask_hours', user.lang)));
  }

  @Action(AdminExceptions.preview.pattern)
  async onPreview(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const pending = AdminExceptions.preview.decode(callbackDataOf(ctx))! as Pending;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.previewOf(user, pending));
  }

  @Action(AdminExceptions.save.pattern)
  async onSave(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const pending = AdminExceptions.save.decode(callbackDataOf(ctx))! as Pending;
    const { view, lines } = await this.save(user, pending);
    await ctx.answerCbQuery(t('adm.common.saved', user.lang));
    await this.menus.show(ctx, savedScreen(user.lang, view, lines, t('adm.common.saved', user.lang)));
  }

  @Action(AdminExceptions.notify.pattern)
  async onNotify(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [specialistId, locationId, date, startMin, endMin] = AdminExceptions.notify.decode(
      callbackDataOf(ctx),
    )!;
    await this.locations.get(actorOf(user), locationId);
    await this.scenes.enter<ExceptionDraft>(ctx.chat!.id, SCENE, {
      step: 'text',
      specialistId,
      locationId,
      date,
      startMin,
      endMin,
    });
    await this.menus.open(
      ctx,
      promptScreen(user.lang, t('adm.exc.ask_text', user.lang, { max: MESSAGE_MAX })),
    );
  }

  private async askDate(ctx: BotContext, user: TgUserContext, specialistId: number, locationId: number) {
    await this.locations.get(actorOf(user), locationId);
    await this.scenes.enter<ExceptionDraft>(ctx.chat!.id, SCENE, { step: 'date', specialistId, locationId });
    await this.menus.open(ctx, promptScreen(user.lang, t('adm.exc.ask_date', user.lang)));
  }

  private async typed(
    ctx: BotContext,
    user: TgUserContext,
    draft: ExceptionDraft,
    text: string,
  ): Promise<void> {
    const actor = actorOf(user);
    const { specialistId, locationId } = draft;
    if (draft.step === 'date') {
      const location = await this.locations.get(actor, locationId);
      const today = DateTime.fromJSDate(this.clock.now(), { zone: location.timeZone }).toISODate()!;
      const date = parseDate(text, today);
      await this.scenes.leave(ctx.chat!.id);
      if (specialistId === 0)
        return this.menus.open(ctx, await this.previewOf(user, [0, locationId, date, 0, 0]));
      const view = await this.viewOf(actor, { specialistId, locationId, date, startMin: null, endMin: null });
      return this.menus.open(ctx, kindScreen(user.lang, specialistId, locationId, date, view));
    }
    if (draft.step === 'hours') {
      const { startMin, endMin } = parseInterval(text);
      await this.scenes.leave(ctx.chat!.id);
      return this.menus.open(
        ctx,
        await this.previewOf(user, [specialistId, locationId, draft.date!, startMin, endMin]),
      );
    }
    const message = parseFreeText(text, MESSAGE_MAX);
    if (!message) throw new BotError('adm.exc.text_empty', { max: MESSAGE_MAX });
    const pending: Pending = [specialistId, locationId, draft.date!, draft.startMin!, draft.endMin!];
    const { view, lines, collided } = await this.save(user, pending);
    await this.scenes.leave(ctx.chat!.id);
    const sent = await this.notifyClients(actor, collided, message);
    const notice = t('adm.exc.notified', user.lang, { sent, total: collided.length });
    await this.menus.open(ctx, savedScreen(user.lang, view, lines, notice));
  }

  /** Saves the exception; returns the bookings it collides with (read after saving, still to move). */
  private async save(user: TgUserContext, pending: Pending) {
    const actor = actorOf(user);
    const [specialistId, locationId, date, startMin, endMin] = pending;
    try {
      await this.schedules.createException(actor, {
        locationId,
        specialistId: specialistId || null,
        date,
        kind: isDayOff(pending) ? 'day_off' : 'custom_hours',
        ...(isDayOff(pending) ? {} : { startMin, endMin }),
      });
    } catch (err) {
      // Another exception already set for that day.
      if (err instanceof DomainError && err.code === ErrorCode.ExceptionClash)
        throw new BotError('adm.exc.exists');
      throw err;
    }
    const collided = await this.collisions(actor, pending);
    const view = await this.viewOf(actor, this.asException(pending));
    return { view, collided, lines: await this.linesOf(actor, collided, pending) };
  }

  /** Sends the admin's text to each client of the bookings, with the booking's time; returns how many got it. */
  private async notifyClients(actor: Actor, collided: BookingDto[], text: string): Promise<number> {
    let sent = 0;
    for (const b of collided) {
      const [client, location] = await Promise.all([
        this.users.get(actor, b.clientId),
        this.locations.get(actor, b.locationId),
      ]);
      if (!client.tgId || client.blocked) continue;
      const when = dateTime(b.startAt, location.timeZone, client.language);
      try {
        await this.messenger.sendText(
          client.tgId,
          t('adm.exc.client_message', client.language, { when, text }),
        );
        sent++;
      } catch {
        // Not delivered (blocked the bot, Telegram down): counted as not told; the admin sees the count.
      }
    }
    return sent;
  }

  /** Live bookings on that date at that location (of that specialist) outside the hours left open. */
  private async collisions(actor: Actor, pending: Pending): Promise<BookingDto[]> {
    const [specialistId, locationId, date, startMin, endMin] = pending;
    const location = await this.locations.get(actor, locationId);
    const dayStart = DateTime.fromISO(date, { zone: location.timeZone }).startOf('day');
    const { items } = await this.bookings.list(actor, {
      locationId,
      ...(specialistId ? { specialistId } : {}),
      from: dayStart.toUTC().toISO()!,
      to: dayStart.plus({ days: 1 }).toUTC().toISO()!,
      status: [...LIVE_STATUSES],
      limit: 200,
    });
    if (isDayOff(pending)) return items;
    const minuteOf = (instant: string) =>
      DateTime.fromISO(instant, { zone: location.timeZone }).diff(dayStart, 'minutes').minutes;
    return items.filter((b) => minuteOf(b.startAt) < startMin || minuteOf(b.endAt) > endMin);
  }

  private async linesOf(actor: Actor, bookings: BookingDto[], pending: Pending): Promise<CollisionLine[]> {
    const location = await this.locations.get(actor, pending[1]);
    return Promise.all(
      bookings.map(async (b) => {
        const [client, service, specialist] = await Promise.all([
          this.users.get(actor, b.clientId),
          this.services.get(actor, b.serviceId),
          this.specialists.get(actor, b.specialistId),
        ]);
        return {
          id: b.id,
          time: localTime(b.startAt, location.timeZone),
          client: client.name,
          service: service.name,
          specialist: specialist.name,
        };
      }),
    );
  }

  private async previewOf(user: TgUserContext, pending: Pending): Promise<Screen> {
    const actor = actorOf(user);
    const collided = await this.collisions(actor, pending);
    const view = await this.viewOf(actor, this.asException(pending));
    return previewScreen(user.lang, view, pending, await this.linesOf(actor, collided, pending));
  }

  private asException([specialistId, locationId, date, startMin, endMin]: Pending) {
    const dayOff = startMin === 0 && endMin === 0;
    return {
      specialistId: specialistId || null,
      locationId,
      date,
      startMin: dayOff ? null : startMin,
      endMin: dayOff ? null : endMin,
    };
  }

  private async viewOf(
    actor: Actor,
    e: Pick<ScheduleExceptionDto, 'specialistId' | 'locationId' | 'date' | 'startMin' | 'endMin'> & {
      id?: number;
    },
  ): Promise<ExceptionView> {
    const [location, specialist] = await Promise.all([
      this.locations.get(actor, e.locationId),
      e.specialistId ? this.specialists.get(actor, e.specialistId) : undefined,
    ]);
    return {
      id: e.id,
      specialist: specialist?.name,
      location: location.name,
      date: e.date,
      startMin: e.startMin,
      endMin: e.endMin,
    };
  }

  private async exceptionOf(actor: Actor, id: number): Promise<ScheduleExceptionDto> {
    const { items } = await this.schedules.listExceptions(actor, { limit: 200, from: this.fromDate() });
    const found = items.find((e) => e.id === id);
    if (!found) throw new BotError('error.not_found');
    return found;
  }

  /** The coming exceptions start yesterday in UTC: today somewhere in the salon's zones. */
  private fromDate(): string {
    return DateTime.fromJSDate(this.clock.now(), { zone: 'utc' }).minus({ days: 1 }).toISODate()!;
  }

  private async listOf(user: TgUserContext, page: number): Promise<Screen> {
    const actor = actorOf(user);
    const { items } = await this.schedules.listExceptions(actor, { limit: 200, from: this.fromDate() });
    const sorted = [...items].sort((a, b) => a.date.localeCompare(b.date) || a.id - b.id);
    const paged = pageOf(sorted, page);
    const views = await Promise.all(
      paged.items.map(async (e) => ({ ...(await this.viewOf(actor, e)), id: e.id })),
    );
    return listScreen(user.lang, { ...paged, items: views });
  }
}
