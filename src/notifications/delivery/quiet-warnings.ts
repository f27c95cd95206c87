import type { Logger } from '@nestjs/common';

const QUIET_MS = 30_000;
const REMEMBERED = 100;

/**
 * A warning logger that says each distinct text at most once per 30 s: while Redis is down every
 * BullMQ connection reports the same refused connect at each reconnect attempt, twice a second.
 */
export function quietWarnings(logger: Logger): (text: string) => void {
  const lastSaid = new Map<string, number>();
  return (text) => {
    const now = Date.now();
    if (now - (lastSaid.get(text) ?? -Infinity) < QUIET_MS) return;
    if (lastSaid.size >= REMEMBERED) lastSaid.clear();
    lastSaid.set(text, now);
    logger.warn(text);
  };
}
