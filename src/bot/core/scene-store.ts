import { Injectable } from '@nestjs/common';
import { RedisService } from '../../infra/redis/redis.service';
import type { TgUserContext } from '../api/tg-user-context';
import type { BotContext } from './bot-context';

/** What a flow does with the text typed while its scene waits. */
export type SceneInput<D> = (ctx: BotContext, user: TgUserContext, data: D, text: string) => Promise<void>;

/** What a flow does with a message other than text (a contact, a forwarded photo) while its scene waits. */
export type SceneMessage<D> = (ctx: BotContext, user: TgUserContext, data: D) => Promise<void>;

/** Multi-step input the bot is waiting for in a chat (a comment, a name): never navigation. */
export interface SceneState<D = Record<string, unknown>> {
  scene: string;
  data: D;
}

const TTL_SECONDS = 24 * 3600;
const keyOf = (chatId: number) => `fsm:${chatId}`;

/**
 * Scene state lives in Redis (`fsm:{chat_id}`, one day), never in memory: a restart, or another
 * instance, continues the flow where the user left it.
 */
@Injectable()
export class SceneStore {
  private readonly inputs = new Map<string, SceneInput<never>>();
  private readonly messages = new Map<string, SceneMessage<never>>();

  constructor(private readonly redis: RedisService) {}

  /** Registers the flow that takes the text typed in a scene (at start, by the flow owning the scene). */
  onInput<D>(scene: string, input: SceneInput<D>): void {
    this.inputs.set(scene, input as SceneInput<never>);
  }

  /** Hands typed text to the scene waiting in this chat; false when no scene waits for text. */
  async dispatch(ctx: BotContext, user: TgUserContext, text: string): Promise<boolean> {
    const state = await this.get(ctx.chat!.id);
    const input = state && this.inputs.get(state.scene);
    if (!input) return false;
    await input(ctx, user, state.data as never, text);
    return true;
  }

  /** Registers the flow that takes messages other than text (contacts, forwards) in a scene. */
  onMessage<D>(scene: string, input: SceneMessage<D>): void {
    this.messages.set(scene, input as SceneMessage<never>);
  }

  /** Hands a non-text message to the scene waiting in this chat; false when no scene takes one. */
  async dispatchMessage(ctx: BotContext, user: TgUserContext): Promise<boolean> {
    const state = await this.get(ctx.chat!.id);
    const input = state && this.messages.get(state.scene);
    if (!input) return false;
    await input(ctx, user, state.data as never);
    return true;
  }

  async get<D = Record<string, unknown>>(chatId: number): Promise<SceneState<D> | null> {
    const raw = await this.redis.client.get(keyOf(chatId));
    return raw ? (JSON.parse(raw) as SceneState<D>) : null;
  }

  async enter<D>(chatId: number, scene: string, data: D): Promise<void> {
    await this.redis.client.set(keyOf(chatId), JSON.stringify({ scene, data }), 'EX', TTL_SECONDS);
  }

  async leave(chatId: number): Promise<void> {
    await this.redis.client.del(keyOf(chatId));
  }
}
