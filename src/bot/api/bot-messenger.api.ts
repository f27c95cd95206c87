/** Sends a plain message to a Telegram chat through the bot (used e.g. for OTP codes). */
export abstract class BotMessenger {
  /** Resolves when Telegram accepted the message; rejects when it did not (blocked, no token, network). */
  abstract sendText(chatId: number, text: string): Promise<void>;
}
