import type Redis from 'ioredis';

/**
 * A Lua script as a function of one connection: defined once per connection (ioredis then runs it by
 * EVALSHA, loading it again after a Redis restart), keys first (they get the connection's key prefix),
 * then the arguments.
 */
export function redisScript<Args extends (string | number)[], Reply>(
  client: Redis,
  name: string,
  numberOfKeys: number,
  lua: string,
): (...args: Args) => Promise<Reply> {
  const commands = client as unknown as Record<string, unknown>;
  if (typeof commands[name] !== 'function') client.defineCommand(name, { numberOfKeys, lua });
  return (commands[name] as (...args: Args) => Promise<Reply>).bind(client);
}
