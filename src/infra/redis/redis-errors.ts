/** ioredis's own wording when Redis cannot be reached (it has no error classes for these). */
const UNREACHABLE_MESSAGES = new Set([
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed.',
  'Command timed out',
]);

/** True when a command failed because Redis is down or unreachable, not because of what was asked. */
export function isRedisUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return false;
  return err.name === 'MaxRetriesPerRequestError' || UNREACHABLE_MESSAGES.has(err.message);
}
