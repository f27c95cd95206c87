export interface RecordedBotCall {
  method: string;
  payload: Record<string, unknown>;
  at: string;
  traceId: string | null;
  /** Recording order; a message this call sent has it as its message_id. */
  seq?: number;
  /** The chat the call is about, when it names one. */
  chatId?: number;
  /** 'user': a message the sandbox user sent (method 'message', payload the Message); otherwise a Bot API call. */
  from?: 'bot' | 'user';
}

/** The bot as the sandbox presents it (the `from` of its messages). */
export interface SandboxBotUser {
  id: number;
  is_bot: true;
  first_name: string;
  username: string;
}

/** Without BOT_TOKEN nothing goes to Telegram: every Bot API call is recorded instead, for the sandbox page. */
export abstract class BotSandbox {
  /** True when no BOT_TOKEN is configured and calls are being recorded. */
  abstract readonly active: boolean;
  abstract readonly botUser: SandboxBotUser;
  /** Newest first. */
  abstract recentCalls(limit?: number): Promise<RecordedBotCall[]>;
  /** One chat's transcript, oldest first: the bot's calls for that chat and the messages its user sent. */
  abstract chatTranscript(chatId: number, limit?: number): Promise<RecordedBotCall[]>;
  /** Adds a message the user sent to the chat's transcript (and to the live feed). */
  abstract recordUserMessage(chatId: number, message: Record<string, unknown>): Promise<RecordedBotCall>;
  /** A message id no other sandbox message has, for a message the user sends. */
  abstract nextMessageId(): Promise<number>;
  /**
   * Every entry as it is recorded, by any instance (Redis pub/sub). Resolves, with the unsubscribe
   * function, once the feed is live (it waits while Redis is down). Entries recorded while the
   * subscription is interrupted are not replayed: read the transcript again.
   */
  abstract subscribe(listener: (entry: RecordedBotCall) => void): Promise<() => void>;
}
