import type { Update, User } from 'telegraf/types';

/** What the gateway needs to know about any kind of update, without caring which kind it is. */
export interface UpdateFacts {
  type: string;
  from: User | undefined;
  chatId: number | undefined;
  text: string | undefined;
}

interface Payload {
  from?: User;
  user?: User;
  chat?: { id: number };
  message?: { chat?: { id: number } };
  text?: string;
  caption?: string;
  data?: string;
  query?: string;
}

/** A plain object with a non-negative integer update_id; the rest is Telegram's business. */
export function asUpdate(value: unknown): Update | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const id = (value as { update_id?: unknown }).update_id;
  return Number.isSafeInteger(id) && (id as number) >= 0 ? (value as Update) : undefined;
}

export function factsOf(update: Update): UpdateFacts {
  const type = Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
  const raw = (update as unknown as Record<string, unknown>)[type];
  const payload: Payload = typeof raw === 'object' && raw !== null ? (raw as Payload) : {};
  const from = payload.from ?? payload.user;
  const chatId = payload.chat?.id ?? payload.message?.chat?.id;
  const text = payload.text ?? payload.caption ?? payload.data ?? payload.query;
  return {
    type,
    from: from && Number.isSafeInteger(from.id) ? from : undefined,
    chatId: Number.isSafeInteger(chatId) ? chatId : undefined,
    text: typeof text === 'string' ? text : undefined,
  };
}

/** Updates of one chat are processed one at a time; an update with neither chat nor user orders with nothing. */
export function orderingKey(update: Update, facts = factsOf(update)): string {
  if (facts.chatId !== undefined) return `c${facts.chatId}`;
  if (facts.from) return `c${facts.from.id}`;
  return `u${update.update_id}`;
}
