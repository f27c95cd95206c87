import type Redis from 'ioredis';

/**
 * A Lua script as a function of one connection: defined once per connection (ioredis then runs it by
 * EVALSHA, loading it again after a Redis restart), keys first (they get the connection's key prefix),
 * then the arguments. With `numberOfKeys` null the call says how many: its first argument is the count.
 */
export function redisScript<Args extends (string | number)[], Reply>(
  client: Redis,
  name: string,
  numberOfKeys: number | null,
  lua: string,
): (...args: Args) => Promise<Reply> {
  const commands = client as unknown as Record<string, unknown>;
  if (typeof commands[name] !== 'function')
    client.defineCommand(name, { numberOfKeys: numberOfKeys ?? undefined, lua });
  return (commands[name] as (...args: Args) => Promise<Reply>).bind(client);
}
