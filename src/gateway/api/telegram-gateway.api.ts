/** Where an update came from; all three feed the same pipeline. */
export type UpdateSource = 'webhook' | 'polling' | 'sandbox';

/** accepted: journaled, will be processed; duplicate: seen before; rate_limited: dropped for this window. */
export type AcceptOutcome = 'accepted' | 'duplicate' | 'rate_limited';

/** The single entrance for Telegram updates (webhook, long polling, the sandbox page). */
export abstract class TelegramGateway {
  /**
   * Resolves once the update is safely journaled (or recognised as a duplicate or over the limit);
   * processing continues in the background. Rejects with validation_failed for something that is not
   * an update, and with service_unavailable when the journal cannot be written (the sender retries).
   * `json` is the update's text as received, when the caller has it: it is journaled as is.
   */
  abstract accept(update: unknown, source: UpdateSource, json?: string): Promise<AcceptOutcome>;
}
