import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import type { Message, User } from 'telegraf/types';
import {
  LocationsApi,
  ServicesApi,
  SettingsApi,
  SpecialistDto,
  SpecialistServiceInput,
  SpecialistsApi,
  UsersApi,
} from '../../../../booking/api';
import type { Actor } from '../../../../common/actor';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { pageOf } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import type { Screen } from '../../../ui/screen';
import { BIO_MAX, parseDuration, parseFreeText, parseMoney, tgIdOf, usernameOf } from '../setup-input';
import { AdminSpecialists } from './specialists.routes';
import {
  addPromptScreen,
  cardScreen,
  deactivateAskScreen,
  listScreen,
  locationsScreen,
  serviceScreen,
  servicesScreen,
  typePromptScreen,
} from './specialists.screens';

const ADD_SCENE = 'adm.spec.add';
const BIO_SCENE = 'adm.spec.bio';
const PRICE_SCENE = 'adm.spec.price';

/** Whom the admin named: a known user, or a Telegram account the bot has not met yet. */
type Person = { userId: number } | { tgId: number; name: string };

const fullName = (first: string, last?: string) => [first, last].filter(Boolean).join(' ').slice(0, 120);

/** The specialist's services as contract input, keeping each one's own duration and price. */
const servicesInput = (s: SpecialistDto): SpecialistServiceInput[] =>
  s.services.map((x) => ({
    serviceId: x.serviceId,
    durationMin: x.customDurationMin ?? undefined,
    price: x.customPrice ?? undefined,
  }));

/**
 * Specialists: list; add by a forwarded message, a shared contact, an @username of someone who has
 * started the bot or a numeric id (someone the bot has not met gets a link to send them); their
 * locations, services with their own duration and price, bio; deactivate after asking.
 */
@BotFlow()
@ForRoles('admin')
export class AdminSpecialistsUpdate implements OnModuleInit {
  constructor(
    private readonly specialists: SpecialistsApi,
    private readonly users: UsersApi,
    private readonly locations: LocationsApi,
    private readonly services: ServicesApi,
    private readonly settings: SettingsApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.spec.menu',
      roles: ['admin'],
      order: 24,
      placement: 'home',
      data: () => AdminSpecialists.list.encode(0),
      open: async (ctx, user) => this.menus.open(ctx, await this.listOf(user, 0)),
    });
    this.scenes.onInput(ADD_SCENE, (ctx, user, _data, text) => this.personNamed(ctx, user, text));
    this.scenes.onMessage(ADD_SCENE, (ctx, user) => this.personNamed(ctx, user));
    this.scenes.onInput<{ id: number }>(BIO_SCENE, (ctx, user, { id }, text) =>
      this.bioTyped(ctx, user, id, text),
    );
    this.scenes.onInput<{ id: number; serviceId: number }>(PRICE_SCENE, (ctx, user, data, text) =>
      this.priceTyped(ctx, user, data, text),
    );
  }

  @Action(AdminSpecialists.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminSpecialists.list.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.listOf(user, page));
  }

  @Action(AdminSpecialists.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminSpecialists.card.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.cardOf(user, await this.specialists.get(actorOf(user), id)));
  }

  @Action(AdminSpecialists.add.pattern)
  async onAdd(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, ADD_SCENE, {});
    await this.menus.open(ctx, addPromptScreen(user.lang));
  }

  @Action(AdminSpecialists.locations.pattern)
  async onLocations(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminSpecialists.locations.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.locationsOf(user, await this.specialists.get(actorOf(user), id)));
  }

  @Action(AdminSpecialists.toggleLocation.pattern)
  async onToggleLocation(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, locationId] = AdminSpecialists.toggleLocation.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const s = await this.specialists.get(actor, id);
    const ids = s.locations.map((l) => l.id);
    const locationIds = ids.includes(locationId) ? ids.filter((x) => x !== locationId) : [...ids, locationId];
    const updated = await this.specialists.update(actor, id, { locationIds });
    await this.menus.show(ctx, await this.locationsOf(user, updated));
  }

  @Action(AdminSpecialists.services.pattern)
  async onServices(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, page] = AdminSpecialists.services.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(
      ctx,
      await this.servicesOf(user, await this.specialists.get(actorOf(user), id), page),
    );
  }

  @Action(AdminSpecialists.toggleService.pattern)
  async onToggleService(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, serviceId] = AdminSpecialists.toggleService.decode(callbackDataOf(ctx))!;
    const actor = actorOf(user);
    const s = await this.specialists.get(actor, id);
    const current = servicesInput(s);
    const services = current.some((x) => x.serviceId === serviceId)
      ? current.filter((x) => x.serviceId !== serviceId)
      : [...current, { serviceId }];
    const updated = await this.specialists.update(actor, id, { services });
    await this.menus.show(ctx, await this.servicesOf(user, updated, 0));
  }

  @Action(AdminSpecialists.service.pattern)
  async onService(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, serviceId] = AdminSpecialists.service.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(
      ctx,
      await this.serviceOf(user, await this.specialists.get(actorOf(user), id), serviceId),
    );
  }

  @Action(AdminSpecialists.serviceDuration.pattern)
  async onServiceDuration(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, serviceId, minutes] = AdminSpecialists.serviceDuration.decode(callbackDataOf(ctx))!;
    const durationMin = minutes === 0 ? undefined : parseDuration(String(minutes));
    await this.menus.show(ctx, await this.setOwn(user, id, serviceId, { durationMin }));
  }

  @Action(AdminSpecialists.servicePrice.pattern)
  async onServicePrice(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, serviceId] = AdminSpecialists.servicePrice.decode(callbackDataOf(ctx))!;
    await this.specialists.get(actorOf(user), id);
    await this.scenes.enter(ctx.chat!.id, PRICE_SCENE, { id, serviceId });
    const back = AdminSpecialists.service.encode(id, serviceId);
    await this.menus.open(ctx, typePromptScreen(user.lang, t('adm.spec.ask_price', user.lang), back));
  }

  @Action(AdminSpecialists.servicePriceReset.pattern)
  async onServicePriceReset(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, serviceId] = AdminSpecialists.servicePriceReset.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.setOwn(user, id, serviceId, { price: undefined }));
  }

  @Action(AdminSpecialists.bio.pattern)
  async onBio(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminSpecialists.bio.decode(callbackDataOf(ctx))!;
    await this.specialists.get(actorOf(user), id);
    await this.scenes.enter(ctx.chat!.id, BIO_SCENE, { id });
    const prompt = t('adm.spec.ask_bio', user.lang, { max: BIO_MAX });
    await this.menus.open(ctx, typePromptScreen(user.lang, prompt, AdminSpecialists.card.encode(id)));
  }

  @Action(AdminSpecialists.deactivateAsk.pattern)
  async onDeactivateAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminSpecialists.deactivateAsk.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, deactivateAskScreen(user.lang, await this.specialists.get(actorOf(user), id)));
  }

  @Action(AdminSpecialists.deactivate.pattern)
  async onDeactivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminSpecialists.deactivate.decode(callbackDataOf(ctx))!;
    const s = await this.specialists.remove(actorOf(user), id);
    await ctx.answerCbQuery(t('adm.common.deactivated', user.lang));
    await this.menus.show(ctx, await this.cardOf(user, s, t('adm.common.deactivated', user.lang)));
  }

  @Action(AdminSpecialists.activate.pattern)
  async onActivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminSpecialists.activate.decode(callbackDataOf(ctx))!;
    const s = await this.specialists.update(actorOf(user), id, { active: true });
    await this.menus.show(ctx, await this.cardOf(user, s, t('adm.common.activated', user.lang)));
  }

  /** The add scene's answer: a forward, a contact, an @username or an id; the new specialist's card. */
  private async personNamed(ctx: BotContext, user: TgUserContext, text?: string): Promise<void> {
    const actor = actorOf(user);
    const link = `https://t.me/${ctx.botInfo.username}?start=staff`;
    const person = await this.personOf(actor, ctx.message as Message, link, text);
    const userId = 'userId' in person ? person.userId : await this.userIdOf(actor, person.tgId);
    const existing = userId === undefined ? undefined : await this.specialistOfUser(actor, userId);
    await this.scenes.leave(ctx.chat!.id);
    if (existing)
      return this.menus.open(ctx, await this.cardOf(user, existing, t('adm.spec.already', user.lang)));
    const created = await this.specialists.create(
      actor,
      userId !== undefined || 'userId' in person
        ? { userId }
        : { user: { name: person.name, tgId: person.tgId } },
    );
    const notice =
      userId !== undefined ? t('adm.spec.added', user.lang) : t('adm.spec.added_invite', user.lang, { link });
    await this.menus.open(ctx, await this.cardOf(user, created, notice));
  }

  private async personOf(actor: Actor, message: Message, link: string, text?: string): Promise<Person> {
    if ('contact' in message) {
      const c = message.contact;
      if (!c.user_id) throw new BotError('adm.spec.contact_no_tg', { link });
      return { tgId: c.user_id, name: fullName(c.first_name, c.last_name) };
    }
    const origin = 'forward_origin' in message ? message.forward_origin : undefined;
    if (origin?.type === 'user') return this.fromTelegram(origin.sender_user);
    if (origin?.type === 'hidden_user') throw new BotError('adm.spec.forward_hidden', { link });
    if (origin) throw new BotError('adm.spec.forward_not_person');
    const username = text === undefined ? undefined : usernameOf(text);
    if (username) {
      const { items } = await this.users.list(actor, { username });
      if (!items.length) throw new BotError('adm.spec.username_unknown', { username, link });
      return { userId: items[0].id };
    }
    const tgId = text === undefined ? undefined : tgIdOf(text);
    if (tgId) return { tgId, name: `Telegram ${tgId}` };
    throw new BotError('adm.spec.person_invalid');
  }

  private fromTelegram(from: User): Person {
    return {
      tgId: from.id,
      name: fullName(from.first_name, from.last_name) || from.username || `Telegram ${from.id}`,
    };
  }

  private async userIdOf(actor: Actor, tgId: number): Promise<number | undefined> {
    return (await this.users.list(actor, { tgId })).items[0]?.id;
  }

  private async specialistOfUser(actor: Actor, userId: number): Promise<SpecialistDto | undefined> {
    const { items } = await this.specialists.list(actor, { limit: 200 });
    return items.find((s) => s.userId === userId);
  }

  private async bioTyped(ctx: BotContext, user: TgUserContext, id: number, text: string): Promise<void> {
    const s = await this.specialists.update(actorOf(user), id, { bio: parseFreeText(text, BIO_MAX) });
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.open(ctx, await this.cardOf(user, s, t('adm.common.saved', user.lang)));
  }

  private async priceTyped(
    ctx: BotContext,
    user: TgUserContext,
    { id, serviceId }: { id: number; serviceId: number },
    text: string,
  ): Promise<void> {
    const { currency } = await this.settings.get(actorOf(user));
    const screen = await this.setOwn(user, id, serviceId, { price: parseMoney(text, currency) });
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.open(ctx, screen);
  }

  /** Sets the specialist's own duration or price of one service (undefined: the service's own). */
  private async setOwn(
    user: TgUserContext,
    id: number,
    serviceId: number,
    change: Partial<Pick<SpecialistServiceInput, 'durationMin' | 'price'>>,
  ): Promise<Screen> {
    const actor = actorOf(user);
    const s = await this.specialists.get(actor, id);
    const services = servicesInput(s);
    const target = services.find((x) => x.serviceId === serviceId);
    if (!target) throw new BotError('error.not_found');
    Object.assign(target, change);
    const updated = await this.specialists.update(actor, id, { services });
    return this.serviceOf(user, updated, serviceId, t('adm.common.saved', user.lang));
  }

  private async cardOf(user: TgUserContext, s: SpecialistDto, notice?: string): Promise<Screen> {
    const { currency } = await this.settings.get(actorOf(user));
    return cardScreen(user.lang, s, currency, notice);
  }

  private async locationsOf(user: TgUserContext, s: SpecialistDto): Promise<Screen> {
    const { items } = await this.locations.list(actorOf(user), { active: 'true', limit: 100 });
    return locationsScreen(user.lang, s, items);
  }

  private async servicesOf(user: TgUserContext, s: SpecialistDto, page: number): Promise<Screen> {
    const actor = actorOf(user);
    const [{ items }, { currency }] = await Promise.all([
      this.services.list(actor, { active: 'true', limit: 200 }),
      this.settings.get(actor),
    ]);
    return servicesScreen(user.lang, s, pageOf(items, page), currency);
  }

  private async serviceOf(user: TgUserContext, s: SpecialistDto, serviceId: number, notice?: string) {
    const actor = actorOf(user);
    const offered = s.services.find((x) => x.serviceId === serviceId);
    if (!offered) throw new BotError('error.not_found');
    const [service, { currency }] = await Promise.all([
      this.services.get(actor, serviceId),
      this.settings.get(actor),
    ]);
    return serviceScreen(user.lang, s, offered, service, currency, notice);
  }

  private async listOf(user: TgUserContext, page: number): Promise<Screen> {
    const { items } = await this.specialists.list(actorOf(user), { limit: 200 });
    return listScreen(user.lang, pageOf(items, page));
  }
}
