import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { Language, LANGUAGES, SettingsApi, UpdateSettingsDto } from '../../../../booking/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { HORIZON_MAX_DAYS, parseCurrency, parseDays, parseMinutes } from './settings-input';
import { asTypedField, SalonSettings, TypedField } from './settings.routes';
import { LANGUAGE_NAMES, languagesScreen, promptScreen, settingsScreen } from './settings.screens';

const SCENE = 'admin.settings';
/** How much of a wrong input the refusal quotes back. */
const QUOTE_MAX = 40;

interface FieldState {
  field: TypedField;
}

/**
 * Business settings: minimum notice, horizon and cancellation cutoff typed as spans, auto-confirm
 * toggled, the currency chosen or typed, the default language chosen. SettingsApi decides and records.
 */
@BotFlow()
@ForRoles('admin')
export class SettingsUpdate implements OnModuleInit {
  constructor(
    private readonly settings: SettingsApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.menu.settings',
      roles: ['admin'],
      order: 32,
      placement: 'home',
      data: () => SalonSettings.show.encode(),
      open: async (ctx, user) =>
        this.menus.open(ctx, settingsScreen(user.lang, await this.settings.get(actorOf(user)))),
    });
    this.scenes.onInput<FieldState>(SCENE, (ctx, user, state, text) => this.typed(ctx, user, state, text));
  }

  @Action(SalonSettings.show.pattern)
  async onShow(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, settingsScreen(user.lang, await this.settings.get(actorOf(user))));
  }

  @Action(SalonSettings.edit.pattern)
  async onEdit(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const field = asTypedField(SalonSettings.edit.decode(callbackDataOf(ctx))![0]);
    if (!field) throw new BotError('error.refused');
    const current = await this.settings.get(actorOf(user));
    await this.scenes.enter<FieldState>(ctx.chat!.id, SCENE, { field });
    await this.menus.show(ctx, promptScreen(user.lang, field, current));
  }

  @Action(SalonSettings.autoConfirm.pattern)
  async onAutoConfirm(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const actor = actorOf(user);
    const { autoConfirm } = await this.settings.get(actor);
    const saved = await this.settings.update(actor, { autoConfirm: !autoConfirm });
    const notice = t(saved.autoConfirm ? 'adm.set.auto_on' : 'adm.set.auto_off', user.lang);
    await ctx.answerCbQuery(notice);
    await this.menus.show(ctx, settingsScreen(user.lang, saved, notice));
  }

  @Action(SalonSettings.languages.pattern)
  async onLanguages(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.menus.show(ctx, languagesScreen(user.lang, await this.settings.get(actorOf(user))));
  }

  @Action(SalonSettings.language.pattern)
  async onLanguage(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const word = SalonSettings.language.decode(callbackDataOf(ctx))![0];
    if (!(LANGUAGES as readonly string[]).includes(word)) throw new BotError('error.refused');
    const language = word as Language;
    await this.save(ctx, user, { defaultLanguage: language }, LANGUAGE_NAMES[language]);
  }

  @Action(SalonSettings.currency.pattern)
  async onCurrency(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const code = parseCurrency(SalonSettings.currency.decode(callbackDataOf(ctx))![0]);
    if (!code) throw new BotError('error.refused');
    await this.scenes.leave(ctx.chat!.id);
    await this.save(ctx, user, { currency: code }, code);
  }

  private async typed(ctx: BotContext, user: TgUserContext, state: FieldState, text: string) {
    const input = text.trim().slice(0, QUOTE_MAX);
    let dto: UpdateSettingsDto;
    if (state.field === 'horizon') {
      const days = parseDays(text);
      if (days === undefined) throw new BotError('adm.set.bad_days', { input, days: HORIZON_MAX_DAYS });
      dto = { horizonDays: days };
    } else if (state.field === 'currency') {
      const code = parseCurrency(text);
      if (!code) throw new BotError('adm.set.bad_currency', { input });
      dto = { currency: code };
    } else {
      const minutes = parseMinutes(text);
      if (minutes === undefined) throw new BotError('adm.set.bad_span', { input });
      dto = state.field === 'notice' ? { minNoticeMin: minutes } : { cancellationCutoffMin: minutes };
    }
    await this.scenes.leave(ctx.chat!.id);
    const saved = await this.settings.update(actorOf(user), dto);
    await this.menus.open(ctx, settingsScreen(user.lang, saved, t('adm.set.saved', user.lang)));
  }

  private async save(ctx: BotContext, user: TgUserContext, dto: UpdateSettingsDto, toast: string) {
    const saved = await this.settings.update(actorOf(user), dto);
    await ctx.answerCbQuery(toast);
    await this.menus.show(ctx, settingsScreen(user.lang, saved, t('adm.set.saved', user.lang)));
  }
}
