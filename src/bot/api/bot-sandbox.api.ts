export interface RecordedBotCall {
  method: string;
  payload: Record<string, unknown>;
  at: string;
  traceId: string | null;
}

/** Without BOT_TOKEN nothing goes to Telegram: every Bot API call is recorded instead, for the sandbox page. */
export abstract class BotSandbox {
  /** True when no BOT_TOKEN is configured and calls are being recorded. */
  abstract readonly active: boolean;
  /** Newest first. */
  abstract recentCalls(limit?: number): Promise<RecordedBotCall[]>;
}
