import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx, On } from 'nestjs-telegraf';
import type { Message } from 'telegraf/types';
import type { TgUserContext } from '../../api/tg-user-context';
import { BotContext, BotUser } from '../../core/bot-context';
import { BotFlow } from '../../core/bot-flow.decorator';
import { SceneStore } from '../../core/scene-store';
import { t, textsOf } from '../../i18n/i18n';
import { BotMenu, EVERYONE } from '../../ui/bot-menu';
import { MenuController } from '../../ui/menu-controller';
import { Nav } from '../../ui/routes';
import { BookingUpdate } from '../client/booking/booking.update';
import { MyBookingsUpdate } from '../client/my-bookings/my-bookings.update';
import { ProfileUpdate } from './profile.update';

type Command = (ctx: BotContext, user: TgUserContext, payload: string) => Promise<void>;

/**
 * Everything a user types: commands, the reply keyboard's buttons (in either language, since the
 * keyboard may predate a language change), input a scene waits for, and anything else (answered
 * with the menu, never silence). Commands and menu buttons leave any scene.
 */
@BotFlow()
export class ChatUpdate implements OnModuleInit {
  private readonly commands: Record<string, Command> = {
    start: (ctx, user, payload) => this.start(ctx, user, payload),
    menu: (ctx, user) => this.menu(ctx, user),
    book: (ctx, user) => this.booking.start(ctx, user),
    bookings: (ctx, user) => this.myBookings.open(ctx, user),
    lang: (ctx, user) => this.profile.openLanguages(ctx, user),
    help: (ctx, user) => this.help(ctx, user),
    cancel: (ctx, user) => this.cancel(ctx, user),
  };

  private readonly skipPhone = new Set(textsOf('onboarding.skip_phone'));

  constructor(
    private readonly booking: BookingUpdate,
    private readonly myBookings: MyBookingsUpdate,
    private readonly profile: ProfileUpdate,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'menu.help',
      roles: EVERYONE,
      order: 200,
      placement: 'keyboard',
      open: (ctx, user) => this.help(ctx, user),
    });
  }

  @Action(Nav.home.pattern)
  async onHome(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, this.botMenu.home(user));
  }

  @Action(Nav.noop.pattern)
  async onNoop(): Promise<void> {
    // A label: the press is answered (empty) by callbackAnswers.
  }

  @On('text')
  async onText(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const text = (ctx.message as Message.TextMessage).text;
    const command = /^\/([a-z_]+)(?:@\w+)?(?:\s+(.*))?$/is.exec(text);
    if (command) {
      const entry = this.commands[command[1].toLowerCase()];
      // Not awaited first: the command's own first read (same connection, after it) leaves in the same write.
      const leaving = this.scenes.leave(ctx.chat!.id);
      const run = entry ? entry(ctx, user, (command[2] ?? '').trim()) : this.help(ctx, user);
      await Promise.all([leaving, run]);
      return;
    }
    const section = this.botMenu.byText(text, user.role);
    if (section || this.skipPhone.has(text.trim())) {
      await this.scenes.leave(ctx.chat!.id);
      return section ? section.open(ctx, user) : this.profile.finishOnboarding(ctx, user);
    }
    if (await this.scenes.dispatch(ctx, user, text)) return;
    await ctx.telegram.sendMessage(ctx.chat!.id, t('common.not_understood', user.lang));
    await this.menus.open(ctx, this.botMenu.home(user));
  }

  @On('contact')
  async onContact(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    if (await this.scenes.dispatchMessage(ctx, user)) return;
    const onboarding = !(await this.menus.hasAnchor(ctx.chat!.id));
    await this.profile.contactShared(ctx, user, (ctx.message as Message.ContactMessage).contact, onboarding);
  }

  @On('message')
  async onOther(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    if (await this.scenes.dispatchMessage(ctx, user)) return;
    await ctx.telegram.sendMessage(ctx.chat!.id, t('common.not_understood', user.lang));
  }

  /** /start: a new user chooses the language first; a deep link opens booking at a place or with a specialist. */
  private async start(ctx: BotContext, user: TgUserContext, payload: string): Promise<void> {
    const link = /^(book|spec)_(\d{1,10})$/.exec(payload);
    const known = await this.menus.hasAnchor(ctx.chat!.id);
    if (!link) return known ? this.menu(ctx, user) : this.profile.welcome(ctx, user);
    if (!known) await this.menus.anchor(ctx, t('home.ready', user.lang), this.botMenu.keyboard(user));
    const id = Number(link[2]);
    if (link[1] === 'book') return this.booking.start(ctx, user, id);
    return this.booking.startWithSpecialist(ctx, user, id);
  }

  private async menu(ctx: BotContext, user: TgUserContext): Promise<void> {
    await this.menus.anchor(ctx, t('home.ready', user.lang), this.botMenu.keyboard(user));
    await this.menus.open(ctx, this.botMenu.home(user));
  }

  private async help(ctx: BotContext, user: TgUserContext): Promise<void> {
    await ctx.telegram.sendMessage(ctx.chat!.id, t('help.text', user.lang));
  }

  private async cancel(ctx: BotContext, user: TgUserContext): Promise<void> {
    await ctx.telegram.sendMessage(ctx.chat!.id, t('common.cancelled', user.lang));
    await this.menus.open(ctx, this.botMenu.home(user));
  }
}
