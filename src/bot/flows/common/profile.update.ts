import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import type { Contact } from 'telegraf/types';
import { Language, LANGUAGES, UsersApi } from '../../../booking/api';
import type { TgUserContext } from '../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../core/bot-context';
import { BotError } from '../../core/bot-error';
import { BotFlow } from '../../core/bot-flow.decorator';
import { SceneStore } from '../../core/scene-store';
import { t } from '../../i18n/i18n';
import { BotMenu, EVERYONE } from '../../ui/bot-menu';
import { KeyboardBuilder } from '../../ui/keyboard';
import { MenuController } from '../../ui/menu-controller';
import { Onboarding, Profile } from '../../ui/routes';
import type { Screen } from '../../ui/screen';

const NAME_SCENE = 'profile.name';
const NAME_MAX = 120;
const LANGUAGE_NAMES: Record<Language, string> = { ru: 'Русский', en: 'English' };

/**
 * Who the user is to the salon: language, name, phone. Also the first /start: the language (Telegram's
 * as the default), then an optional phone, accepted only as the sender's own contact.
 */
@BotFlow()
export class ProfileUpdate implements OnModuleInit {
  constructor(
    private readonly users: UsersApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'menu.profile',
      roles: EVERYONE,
      order: 120,
      placement: 'both',
      data: () => Profile.show.encode(),
      open: (ctx, user) => this.open(ctx, user),
    });
    this.scenes.onInput(NAME_SCENE, (ctx, user, _data, text) => this.nameTyped(ctx, user, text));
  }

  /** The first /start: choose the language. */
  async welcome(ctx: BotContext, user: TgUserContext): Promise<void> {
    const name = ctx.from?.first_name ?? '';
    const kb = new KeyboardBuilder(user.lang).row(
      LANGUAGES.map((lang) => ({
        text: `${lang === user.lang ? '✓ ' : ''}${LANGUAGE_NAMES[lang]}`,
        callback_data: Onboarding.language.encode(lang),
      })),
    );
    await ctx.telegram.sendMessage(ctx.chat!.id, t('onboarding.welcome', user.lang, { name }), {
      reply_markup: { inline_keyboard: kb.build() },
    });
  }

  @Action(Onboarding.language.pattern)
  async onWelcomeLanguage(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const chosen = await this.setLanguage(user, Onboarding.language.decode(callbackDataOf(ctx))![0]);
    await ctx.answerCbQuery(LANGUAGE_NAMES[chosen.lang]);
    await ctx.editMessageText(t('onboarding.language_set', chosen.lang));
    await this.askPhone(ctx, chosen, 'onboarding.phone_question');
  }

  /** Skipping the phone (or sharing it) ends onboarding with the main menu. */
  async finishOnboarding(ctx: BotContext, user: TgUserContext): Promise<void> {
    await this.menus.anchor(ctx, t('home.ready', user.lang), this.botMenu.keyboard(user));
    await this.menus.open(ctx, this.botMenu.home(user));
  }

  async open(ctx: BotContext, user: TgUserContext): Promise<void> {
    await this.menus.open(ctx, await this.profileOf(user));
  }

  @Action(Profile.show.pattern)
  async onShow(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.menus.show(ctx, await this.profileOf(user));
  }

  @Action(Profile.languages.pattern)
  async onLanguages(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.menus.show(ctx, this.languagesOf(user));
  }

  /** /lang: the language choice as a new section. */
  async openLanguages(ctx: BotContext, user: TgUserContext): Promise<void> {
    await this.menus.open(ctx, this.languagesOf(user));
  }

  @Action(Profile.setLanguage.pattern)
  async onSetLanguage(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const chosen = await this.setLanguage(user, Profile.setLanguage.decode(callbackDataOf(ctx))![0]);
    await ctx.answerCbQuery(LANGUAGE_NAMES[chosen.lang]);
    // The reply keyboard's labels are in the old language: it is sent again.
    await this.menus.anchor(ctx, t('profile.language_changed', chosen.lang), this.botMenu.keyboard(chosen));
    await this.menus.open(ctx, await this.profileOf(chosen));
  }

  @Action(Profile.name.pattern)
  async onName(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, NAME_SCENE, {});
    await ctx.answerCbQuery();
    await ctx.telegram.sendMessage(ctx.chat!.id, t('profile.type_name', user.lang, { max: NAME_MAX }));
  }

  async nameTyped(ctx: BotContext, user: TgUserContext, text: string): Promise<void> {
    const name = text.trim();
    if (!name || name.length > NAME_MAX) throw new BotError('profile.name_invalid', { max: NAME_MAX });
    await this.users.update(actorOf(user), user.userId, { name });
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.open(ctx, await this.profileOf(user, t('profile.name_saved', user.lang)));
  }

  @Action(Profile.phone.pattern)
  async onPhone(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await ctx.answerCbQuery();
    await this.askPhone(ctx, user, 'profile.phone_question');
  }

  /** A shared contact: saved as the user's phone only when it is the sender's own (Telegram proves it by user_id). */
  async contactShared(
    ctx: BotContext,
    user: TgUserContext,
    contact: Contact,
    onboarding: boolean,
  ): Promise<void> {
    if (contact.user_id !== ctx.from?.id) throw new BotError('profile.phone_not_own');
    const phone = contact.phone_number.startsWith('+') ? contact.phone_number : `+${contact.phone_number}`;
    await this.users.attachVerifiedPhone(user.userId, phone);
    await ctx.telegram.sendMessage(ctx.chat!.id, t('profile.phone_saved', user.lang, { phone }));
    if (onboarding) return this.finishOnboarding(ctx, user);
    await this.menus.anchor(ctx, t('home.ready', user.lang), this.botMenu.keyboard(user));
    await this.menus.open(ctx, await this.profileOf(user));
  }

  private async askPhone(
    ctx: BotContext,
    user: TgUserContext,
    question: 'onboarding.phone_question' | 'profile.phone_question',
  ) {
    await ctx.telegram.sendMessage(ctx.chat!.id, t(question, user.lang), {
      reply_markup: {
        keyboard: [
          [{ text: t('profile.share_phone', user.lang), request_contact: true }],
          [{ text: t('onboarding.skip_phone', user.lang) }],
        ],
        resize_keyboard: true,
        one_time_keyboard: true,
      },
    });
  }

  private async setLanguage(user: TgUserContext, word: string): Promise<TgUserContext> {
    if (!(LANGUAGES as readonly string[]).includes(word)) throw new BotError('error.refused');
    const lang = word as Language;
    await this.users.update(actorOf(user), user.userId, { language: lang });
    return { ...user, lang };
  }

  private languagesOf(user: TgUserContext): Screen {
    const kb = new KeyboardBuilder(user.lang);
    for (const lang of LANGUAGES)
      kb.button(`${lang === user.lang ? '✓ ' : ''}${LANGUAGE_NAMES[lang]}`, Profile.setLanguage.encode(lang));
    kb.nav(Profile.show.encode());
    return { text: t('profile.choose_language', user.lang), keyboard: kb.build() };
  }

  private async profileOf(user: TgUserContext, notice?: string): Promise<Screen> {
    const me = await this.users.me(actorOf(user));
    const kb = new KeyboardBuilder(user.lang)
      .button(t('profile.change_language', user.lang), Profile.languages.encode())
      .button(t('profile.change_name', user.lang), Profile.name.encode())
      .button(t(me.phone ? 'profile.change_phone' : 'profile.share_phone', user.lang), Profile.phone.encode())
      .nav();
    const text = t('profile.card', user.lang, {
      name: me.name,
      phone: me.phone ?? t('profile.no_phone', user.lang),
      language: LANGUAGE_NAMES[user.lang],
    });
    return { text: notice ? `${notice}\n\n${text}` : text, keyboard: kb.build() };
  }
}
