import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { ServiceDto, ServicesApi, SettingsApi, UpdateServiceDto } from '../../../../booking/api';
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
import { parseDuration, parseMoney, parseName } from '../setup-input';
import { AdminServices } from './services.routes';
import { cardScreen, deactivateAskScreen, listScreen, promptScreen, ServicePrompt } from './services.screens';

const SCENE = 'adm.svc';

/** A service being added (id absent: name, then duration, then price) or one field of one being edited. */
interface ServiceDraft {
  id?: number;
  step: ServicePrompt;
  name?: string;
  durationMin?: number;
}

/** Services: list, add (name, duration in 15-minute steps from buttons, price as money), edit, deactivate. */
@BotFlow()
@ForRoles('admin')
export class AdminServicesUpdate implements OnModuleInit {
  constructor(
    private readonly services: ServicesApi,
    private readonly settings: SettingsApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.svc.menu',
      roles: ['admin'],
      order: 22,
      placement: 'home',
      data: () => AdminServices.list.encode(0),
      open: async (ctx, user) => this.menus.open(ctx, await this.listOf(user, 0)),
    });
    this.scenes.onInput<ServiceDraft>(SCENE, (ctx, user, draft, text) => this.typed(ctx, user, draft, text));
  }

  @Action(AdminServices.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = AdminServices.list.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.listOf(user, page));
  }

  @Action(AdminServices.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminServices.card.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.cardOf(user, await this.services.get(actorOf(user), id)));
  }

  @Action(AdminServices.add.pattern)
  async onAdd(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.ask(ctx, user, { step: 'name' });
  }

  @Action(AdminServices.edit.pattern)
  async onEdit(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, field] = AdminServices.edit.decode(callbackDataOf(ctx))!;
    if (field !== 'name' && field !== 'duration' && field !== 'price') throw new BotError('error.refused');
    const service = await this.services.get(actorOf(user), id);
    await this.ask(ctx, user, { id: service.id, step: field });
  }

  @Action(AdminServices.duration.pattern)
  async onDuration(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [minutes] = AdminServices.duration.decode(callbackDataOf(ctx))!;
    const state = await this.scenes.get<ServiceDraft>(ctx.chat!.id);
    if (state?.scene !== SCENE || state.data.step !== 'duration')
      throw new BotError('adm.common.input_expired');
    await this.save(ctx, user, state.data, parseDuration(String(minutes)));
  }

  @Action(AdminServices.deactivateAsk.pattern)
  async onDeactivateAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminServices.deactivateAsk.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, deactivateAskScreen(user.lang, await this.services.get(actorOf(user), id)));
  }

  @Action(AdminServices.deactivate.pattern)
  async onDeactivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminServices.deactivate.decode(callbackDataOf(ctx))!;
    const service = await this.services.remove(actorOf(user), id);
    await ctx.answerCbQuery(t('adm.common.deactivated', user.lang));
    await this.menus.show(ctx, await this.cardOf(user, service, t('adm.common.deactivated', user.lang)));
  }

  @Action(AdminServices.activate.pattern)
  async onActivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = AdminServices.activate.decode(callbackDataOf(ctx))!;
    const service = await this.services.update(actorOf(user), id, { active: true });
    await this.menus.show(ctx, await this.cardOf(user, service, t('adm.common.activated', user.lang)));
  }

  private async ask(ctx: BotContext, user: TgUserContext, draft: ServiceDraft): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, SCENE, draft);
    const back = draft.id ? AdminServices.card.encode(draft.id) : AdminServices.list.encode(0);
    await this.menus.open(ctx, promptScreen(user.lang, draft.step, back));
  }

  private async typed(
    ctx: BotContext,
    user: TgUserContext,
    draft: ServiceDraft,
    text: string,
  ): Promise<void> {
    if (draft.step === 'name') return this.save(ctx, user, draft, parseName(text));
    if (draft.step === 'duration') return this.save(ctx, user, draft, parseDuration(text));
    const { currency } = await this.settings.get(actorOf(user));
    return this.save(ctx, user, draft, parseMoney(text, currency));
  }

  /** One answer of the scene: the next question while adding, else the service is written. */
  private async save(
    ctx: BotContext,
    user: TgUserContext,
    draft: ServiceDraft,
    value: string | number,
  ): Promise<void> {
    const actor = actorOf(user);
    if (draft.id === undefined && draft.step === 'name')
      return this.ask(ctx, user, { step: 'duration', name: String(value) });
    if (draft.id === undefined && draft.step === 'duration')
      return this.ask(ctx, user, { ...draft, step: 'price', durationMin: Number(value) });
    let service: ServiceDto;
    if (draft.id === undefined) {
      service = await this.services.create(actor, {
        name: draft.name!,
        durationMin: draft.durationMin!,
        price: Number(value),
      });
    } else {
      const field: keyof UpdateServiceDto =
        draft.step === 'duration' ? 'durationMin' : draft.step === 'price' ? 'price' : 'name';
      service = await this.services.update(actor, draft.id, { [field]: value });
    }
    await this.scenes.leave(ctx.chat!.id);
    const notice = t(draft.id === undefined ? 'adm.svc.added' : 'adm.common.saved', user.lang);
    await this.menus.open(ctx, await this.cardOf(user, service, notice));
  }

  private async cardOf(user: TgUserContext, service: ServiceDto, notice?: string) {
    const { currency } = await this.settings.get(actorOf(user));
    return cardScreen(user.lang, service, currency, notice);
  }

  private async listOf(user: TgUserContext, page: number) {
    const actor = actorOf(user);
    const [{ items }, { currency }] = await Promise.all([
      this.services.list(actor, { limit: 200 }),
      this.settings.get(actor),
    ]);
    return listScreen(user.lang, pageOf(items, page), currency);
  }
}
