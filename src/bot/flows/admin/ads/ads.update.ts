import { OnModuleInit } from '@nestjs/common';
import { Action, Ctx } from 'nestjs-telegraf';
import { AdTemplateDto, AdTemplatesApi, UpdateAdTemplateDto } from '../../../../notifications/api';
import type { TgUserContext } from '../../../api/tg-user-context';
import { actorOf, BotContext, BotUser, callbackDataOf } from '../../../core/bot-context';
import { BotError } from '../../../core/bot-error';
import { BotFlow } from '../../../core/bot-flow.decorator';
import { ForRoles } from '../../../core/roles.guard';
import { SceneStore } from '../../../core/scene-store';
import { t } from '../../../i18n/i18n';
import { BotMenu } from '../../../ui/bot-menu';
import { MenuController } from '../../../ui/menu-controller';
import { PAGE_SIZE } from '../../../ui/screen';
import { Ads } from './ads.routes';
import {
  AD_FIELDS,
  AdField,
  cardScreen,
  checkAdInput,
  deactivateAskScreen,
  listScreen,
  previewText,
} from './ads.screens';

const SCENE = 'adm.ads.input';
/** A new template is typed field by field (name, Russian, English); an edit is one field of one template. */
interface AdInput {
  id?: number;
  field: AdField;
  draft?: { name?: string; ru?: string };
}
const ASK = { name: 'adm.ads.type_name', ru: 'adm.ads.type_ru', en: 'adm.ads.type_en' } as const;

/** Ads: templates in ru and en appended to notifications; add, edit, deactivate, preview (AdTemplatesApi). */
@BotFlow()
@ForRoles('admin')
export class AdsUpdate implements OnModuleInit {
  constructor(
    private readonly ads: AdTemplatesApi,
    private readonly menus: MenuController,
    private readonly scenes: SceneStore,
    private readonly botMenu: BotMenu,
  ) {}

  onModuleInit(): void {
    this.botMenu.register({
      key: 'adm.ads.menu',
      roles: ['admin'],
      order: 42,
      placement: 'home',
      data: () => Ads.list.encode(0),
      open: async (ctx, user) => this.menus.open(ctx, await this.listOf(user, 0)),
    });
    this.scenes.onInput<AdInput>(SCENE, (ctx, user, data, text) => this.typed(ctx, user, data, text));
  }

  @Action(Ads.list.pattern)
  async onList(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [page] = Ads.list.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, await this.listOf(user, page));
  }

  @Action(Ads.card.pattern)
  async onCard(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Ads.card.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, cardScreen(user.lang, await this.ads.get(actorOf(user), id)));
  }

  @Action(Ads.add.pattern)
  async onAdd(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    await this.ask(ctx, user, { field: 'name', draft: {} });
  }

  @Action(Ads.edit.pattern)
  async onEdit(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, field] = Ads.edit.decode(callbackDataOf(ctx))!;
    if (!(AD_FIELDS as readonly string[]).includes(field)) throw new BotError('error.refused');
    await this.ads.get(actorOf(user), id);
    await this.ask(ctx, user, { id, field: field as AdField });
  }

  @Action(Ads.preview.pattern)
  async onPreview(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id, reader] = Ads.preview.decode(callbackDataOf(ctx))!;
    const ad = await this.ads.get(actorOf(user), id);
    await ctx.answerCbQuery();
    await ctx.telegram.sendMessage(ctx.chat!.id, previewText(user.lang, reader === 'en' ? 'en' : 'ru', ad));
    await this.menus.open(ctx, cardScreen(user.lang, ad));
  }

  @Action(Ads.deactivateAsk.pattern)
  async onDeactivateAsk(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Ads.deactivateAsk.decode(callbackDataOf(ctx))!;
    await this.menus.show(ctx, deactivateAskScreen(user.lang, await this.ads.get(actorOf(user), id)));
  }

  @Action(Ads.deactivate.pattern)
  async onDeactivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Ads.deactivate.decode(callbackDataOf(ctx))!;
    const ad = await this.ads.remove(actorOf(user), id);
    await this.saved(ctx, user, ad, 'adm.ads.deactivated');
  }

  @Action(Ads.activate.pattern)
  async onActivate(@Ctx() ctx: BotContext, @BotUser() user: TgUserContext): Promise<void> {
    const [id] = Ads.activate.decode(callbackDataOf(ctx))!;
    const ad = await this.ads.update(actorOf(user), id, { active: true });
    await this.saved(ctx, user, ad, 'adm.ads.activated');
  }

  private async ask(ctx: BotContext, user: TgUserContext, input: AdInput): Promise<void> {
    await this.scenes.enter(ctx.chat!.id, SCENE, input);
    await ctx.answerCbQuery();
    await ctx.telegram.sendMessage(ctx.chat!.id, t(ASK[input.field], user.lang));
  }

  /** A typed value: the next field of a new template, or the edited field saved. */
  private async typed(ctx: BotContext, user: TgUserContext, input: AdInput, text: string): Promise<void> {
    const checked = checkAdInput(input.field, text);
    if ('error' in checked) throw new BotError(checked.error, { max: checked.max });
    const actor = actorOf(user);
    const chatId = ctx.chat!.id;
    if (input.id !== undefined) {
      const change: UpdateAdTemplateDto =
        input.field === 'name'
          ? { name: checked.value }
          : input.field === 'ru'
            ? { textRu: checked.value }
            : { textEn: checked.value };
      const ad = await this.ads.update(actor, input.id, change);
      await this.scenes.leave(chatId);
      return this.menus.open(ctx, cardScreen(user.lang, ad, t('adm.ads.saved', user.lang)));
    }
    const draft = { ...input.draft, [input.field]: checked.value };
    if (input.field !== 'en') {
      const field = input.field === 'name' ? 'ru' : 'en';
      await this.scenes.enter(chatId, SCENE, { field, draft });
      await ctx.telegram.sendMessage(chatId, t(ASK[field], user.lang));
      return;
    }
    const ad = await this.ads.create(actor, { name: draft.name!, textRu: draft.ru!, textEn: checked.value });
    await this.scenes.leave(chatId);
    await this.menus.open(ctx, cardScreen(user.lang, ad, t('adm.ads.created', user.lang)));
  }

  private async saved(
    ctx: BotContext,
    user: TgUserContext,
    ad: AdTemplateDto,
    notice: 'adm.ads.deactivated' | 'adm.ads.activated',
  ) {
    await ctx.answerCbQuery(t(notice, user.lang));
    await this.menus.show(ctx, cardScreen(user.lang, ad, t(notice, user.lang)));
  }

  private async listOf(user: TgUserContext, page: number) {
    const found = await this.ads.list(actorOf(user), { limit: PAGE_SIZE, offset: page * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(found.total / PAGE_SIZE));
    return listScreen(user.lang, { items: found.items, page, pages });
  }
}
