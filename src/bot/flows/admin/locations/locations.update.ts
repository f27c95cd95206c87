import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { LocationDto, LocationsApi, UpdateLocationDto } from '../../../../booking/api';
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
import { ADDRESS_MAX, canonicalZone, COMMON_ZONES, parseFreeText, parseName } from '../setup-input';
import { AdminLocations } from './locations.routes';
import {
  cardScreen,
  deactivateAskScreen,
  listScreen,
  LocationPrompt,
  promptScreen,
} from './locations.screens';

const SCENE = 'adm.loc';

/** A location being added (id absent: name, then address, then zone) or one field of one being edited. */
interface LocationDraft {
  id?: number;
  step: LocationPrompt;
  name?: string;
  address?: string;
}

/** Locations: list, add (name, address, time zone from buttons or typed), edit, deactivate after asking. */
@BotFlow()
@ForRoles('admin')
export class AdminLocationsUpdate implements OnModuleInit {
  constructor(
    private readonly locations: LocationsApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.loc.menu',
      roles: ['admin'],
      order: 20,
      placement: 'home',
      data: () => AdminLocations.list.encode(0),
      open: async (ctx, user) => this.menus.open(ctx, await this.listOf(user, 0)),
    });
    this.scenes.onInput<LocationDraft>(SCENE, (ctx, user, draft, text) => this.typed(ctx, user, draft, text));
  }

  @Action(AdminLocations.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminLocations.list.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.listOf(user, page));
  }

  @Action(AdminLocations.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminLocations.card.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, cardScreen(user.lang, await this.locations.get(actorOf(user), id)));
  }

  @Action(AdminLocations.add.pattern)
  async onAdd(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.ask(ctx, user, { step: 'name' });
  }

  @Action(AdminLocations.edit.pattern)
  async onEdit(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, field] = AdminLocations.edit.decode(callbackDataOf(ctx))!;
    if (field !== 'name' && field !== 'address' && field !== 'zone') throw new BotError('error.refused');
    const location = await this.locations.get(actorOf(user), id);
    await this.ask(ctx, user, { id: location.id, step: field });
  }

  @Action(AdminLocations.zone.pattern)
  async onZone(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [index] = AdminLocations.zone.decode(callbackDataOf(ctx))!;
    const state = await this.scenes.get<LocationDraft>(ctx.chat!.id);
    const zone = COMMON_ZONES[index];
    if (state?.scene !== SCENE || state.data.step !== 'zone' || !zone)
      throw new BotError('adm.common.input_expired');
    await this.save(ctx, user, state.data, zone);
  }

  @Action(AdminLocations.deactivateAsk.pattern)
  async onDeactivateAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminLocations.deactivateAsk.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, deactivateAskScreen(user.lang, await this.locations.get(actorOf(user), id)));
  }

  @Action(AdminLocations.deactivate.pattern)
  async onDeactivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminLocations.deactivate.decode(callbackDataOf(ctx))!;
    const location = await this.locations.remove(actorOf(user), id);
    await ctx.answerCbQuery(t('adm.common.deactivated', user.lang));
    await this.menus.show(ctx, cardScreen(user.lang, location, t('adm.common.deactivated', user.lang)));
  }

  @Action(AdminLocations.activate.pattern)
  async onActivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminLocations.activate.decode(callbackDataOf(ctx))!;
    const location = await this.locations.update(actorOf(user), id, { active: true });
    await this.menus.show(ctx, cardScreen(user.lang, location, t('adm.common.activated', user.lang)));
  }

  private async ask(ctx: BotContext, user: TgUserContext, draft: LocationDraft): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, SCENE, draft);
    const back = draft.id ? AdminLocations.card.encode(draft.id) : AdminLocations.list.encode(0);
    await this.menus.open(ctx, promptScreen(user.lang, draft.step, back));
  }

  private async typed(
    ctx: BotContext,
    user: TgUserContext,
    draft: LocationDraft,
    text: string,
  ): Promise<void> {
    if (draft.step === 'name') return this.save(ctx, user, draft, parseName(text));
    if (draft.step === 'address') return this.save(ctx, user, draft, parseFreeText(text, ADDRESS_MAX));
    return this.save(ctx, user, draft, canonicalZone(text));
  }

  /** One answer of the scene: the next question while adding, else the location is written. */
  private async save(
    ctx: BotContext,
    user: TgUserContext,
    draft: LocationDraft,
    value: string,
  ): Promise<void> {
    const actor = actorOf(user);
    if (draft.id === undefined && draft.step === 'name')
      return this.ask(ctx, user, { step: 'address', name: value });
    if (draft.id === undefined && draft.step === 'address')
      return this.ask(ctx, user, { ...draft, step: 'zone', address: value });
    let location: LocationDto;
    if (draft.id === undefined) {
      location = await this.locations.create(actor, {
        name: draft.name!,
        address: draft.address,
        timeZone: value,
      });
    } else {
      const field: keyof UpdateLocationDto = draft.step === 'zone' ? 'timeZone' : draft.step;
      location = await this.locations.update(actor, draft.id, { [field]: value });
    }
    await this.scenes.leave(ctx.chat!.id);
    const notice = t(draft.id === undefined ? 'adm.loc.added' : 'adm.common.saved', user.lang);
    await this.menus.open(ctx, cardScreen(user.lang, location, notice));
  }

  private async listOf(user: TgUserContext, page: number) {
    const { items } = await this.locations.list(actorOf(user), { limit: 200 });
    return listScreen(user.lang, pageOf(items, page));
  }
}
