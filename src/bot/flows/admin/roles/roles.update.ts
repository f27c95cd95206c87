import { Logger, OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { SpecialistDto, SpecialistsApi, UserDto, UsersApi } from '../../../../booking/api';
import type { Actor, Role } from '../../../../common/actor';
import { DomainError, ErrorCode } from '../../../../common/errors';
import { BotMessenger } from '../../../api/bot-messenger.api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t, TextKey } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { pageOf } from '../../../ui/keyboard';
import { MenuController } from '../../../ui/menu-controller';
import { PAGE_SIZE, type Screen } from '../../../ui/screen';
import { asRole, Roles } from './roles.routes';
import { askScreen, findScreen, foundScreen, roleName, staffScreen, userScreen } from './roles.screens';

const FIND_SCENE = 'admin.roles.find';
/** ListUsersQuery's limit for a search. */
const SEARCH_MAX = 120;

const TOLD: Record<Role, TextKey> = {
  admin: 'adm.role.told_admin',
  specialist: 'adm.role.told_specialist',
  client: 'adm.role.told_client',
};

/**
 * Roles: the staff, and anyone found by name, phone or Telegram id; promote to specialist (with the
 * specialist profile, not only the role) or admin, demote (asked first). UsersApi refuses to demote
 * the last admin; that refusal is said in the admin's language.
 */
@BotFlow()
@ForRoles('admin')
export class RolesUpdate implements OnModuleInit {
  private readonly logger = new Logger(RolesUpdate.name);

  constructor(
    private readonly users: UsersApi,
    private readonly specialists: SpecialistsApi,
    private readonly messenger: BotMessenger,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.menu.roles',
      roles: ['admin'],
      order: 30,
      placement: 'home',
      data: () => Roles.list.encode(0),
      open: async (ctx, user) => this.menus.open(ctx, await this.staffOf(user, 0)),
    });
    this.scenes.onInput(FIND_SCENE, (ctx, user, _data, text) => this.searchTyped(ctx, user, text));
  }

  @Action(Roles.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = Roles.list.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, await this.staffOf(user, page));
  }

  @Action(Roles.find.pattern)
  async onFind(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, FIND_SCENE, {});
    await this.menus.show(ctx, findScreen(user.lang));
  }

  @Action(Roles.user.pattern)
  async onUser(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Roles.user.decode(callbackDataOf(ctx))!;
    await this.scenes.leave(ctx.chat!.id);
    await this.menus.show(ctx, userScreen(user.lang, await this.users.get(actorOf(user), id)));
  }

  @Action(Roles.ask.pattern)
  async onAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, word] = Roles.ask.decode(callbackDataOf(ctx))!;
    const role = this.roleOf(word);
    await this.menus.show(ctx, askScreen(user.lang, await this.users.get(actorOf(user), id), role));
  }

  @Action(Roles.set.pattern)
  async onSet(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, word] = Roles.set.decode(callbackDataOf(ctx))!;
    const role = this.roleOf(word);
    const actor = actorOf(user);
    const before = await this.users.get(actor, id);
    if (before.role !== role) {
      try {
        await this.change(actor, before, role);
      } catch (err) {
        if (!(err instanceof DomainError && err.code === ErrorCode.LastAdmin)) throw err;
        // Not a forged press: said on the person's card, which stays as it was.
        const refusal = t('adm.role.last_admin', user.lang, { name: before.name });
        await ctx.answerCbQuery(refusal, { show_alert: true });
        return this.menus.show(ctx, userScreen(user.lang, before, refusal));
      }
      await this.tell(before, role);
    }
    const after = await this.users.get(actor, id);
    const notice = t('adm.role.changed', user.lang, {
      name: after.name,
      role: roleName(after.role, user.lang),
    });
    await ctx.answerCbQuery(notice);
    await this.menus.show(ctx, userScreen(user.lang, after, notice));
  }

  /**
   * A specialist is a user with a profile: promoting creates it (or reactivates the one they had);
   * leaving the specialists deactivates it, so nobody books a client. The role is changed first
   * where it can be refused (the last admin), so a refusal leaves everything as it was.
   */
  private async change(actor: Actor, u: UserDto, role: Role): Promise<void> {
    const profile = await this.profileOf(actor, u.id);
    if (role === 'admin') {
      await this.users.update(actor, u.id, { role });
    } else if (role === 'specialist') {
      if (u.role === 'admin' || profile) await this.users.update(actor, u.id, { role });
      if (!profile) await this.specialists.create(actor, { userId: u.id });
      else if (!profile.active) await this.specialists.update(actor, profile.id, { active: true });
    } else {
      await this.users.update(actor, u.id, { role });
      if (profile?.active) await this.specialists.remove(actor, profile.id);
    }
  }

  /** The person learns it in their own language; their new menu comes with /menu. A chat that cannot be reached changes nothing. */
  private async tell(u: UserDto, role: Role): Promise<void> {
    if (u.tgId === null) return;
    try {
      await this.messenger.sendText(u.tgId, t(TOLD[role], u.language));
    } catch (err) {
      this.logger.warn(`role change not told to user ${u.id}: ${(err as Error).message}`);
    }
  }

  private async profileOf(actor: Actor, userId: number): Promise<SpecialistDto | undefined> {
    const { items } = await this.specialists.list(actor, { limit: 200 });
    return items.find((s) => s.userId === userId);
  }

  private roleOf(word: string): Role {
    const role = asRole(word);
    if (!role) throw new BotError('error.refused');
    return role;
  }

  private async searchTyped(ctx: BotContext, user: TgUserContext, text: string): Promise<void> {
    const query = text.trim();
    if (!query || query.length > SEARCH_MAX)
      throw new BotError('adm.role.search_invalid', { max: SEARCH_MAX });
    const actor = actorOf(user);
    const byText = await this.users.list(actor, { search: query, limit: PAGE_SIZE + 1 });
    const byTelegram = /^\d{1,15}$/.test(query)
      ? (await this.users.list(actor, { tgId: Number(query), limit: 1 })).items
      : [];
    const found = [...byTelegram, ...byText.items.filter((u) => !byTelegram.some((b) => b.id === u.id))];
    // The scene stays: typing again searches again.
    await this.menus.open(
      ctx,
      foundScreen(user.lang, query, found.slice(0, PAGE_SIZE), found.length > PAGE_SIZE),
    );
  }

  private async staffOf(user: TgUserContext, page: number): Promise<Screen> {
    const actor = actorOf(user);
    const [admins, specialists] = await Promise.all([
      this.users.list(actor, { role: 'admin', limit: 200 }),
      this.users.list(actor, { role: 'specialist', limit: 200 }),
    ]);
    const byName = (a: UserDto, b: UserDto) => a.name.localeCompare(b.name);
    const staff = [...admins.items.sort(byName), ...specialists.items.sort(byName)];
    return staffScreen(user.lang, pageOf(staff, page), {
      admin: admins.total,
      specialist: specialists.total,
      client: 0,
    });
  }
}
