/**
 * One codec for every inline button's callback_data: `<route>:<arg>:<arg>...`, at most 64 bytes
 * (Telegram's limit), checked when encoding. Ids and numbers travel in base 36, dates as YYYYMMDD,
 * so the longest combination of ids still fits (see callback-codec.spec.ts).
 */

export type ArgKind = 'id' | 'int' | 'date' | 'month' | 'word';

type ArgValue<K extends ArgKind> = K extends 'id' | 'int' ? number : string;
export type ArgsOf<K extends readonly ArgKind[]> = { [I in keyof K]: ArgValue<K[I]> };

export const CALLBACK_DATA_MAX_BYTES = 64;
const SEPARATOR = ':';
const WORD = /^[a-z_]{1,16}$/;
const ROUTE_NAME = /^[a-z][a-z0-9]{0,7}$/;

export class CallbackDataError extends Error {}

function encodeArg(kind: ArgKind, value: number | string): string {
  switch (kind) {
    case 'id':
      if (!Number.isSafeInteger(value) || (value as number) < 1)
        throw new CallbackDataError(`bad id ${value}`);
      return (value as number).toString(36);
    case 'int':
      if (!Number.isSafeInteger(value) || (value as number) < 0)
        throw new CallbackDataError(`bad int ${value}`);
      return (value as number).toString(36);
    case 'date':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value))
        throw new CallbackDataError(`bad date ${value}`);
      return value.replace(/-/g, '');
    case 'month':
      if (typeof value !== 'string' || !/^\d{4}-\d{2}$/.test(value))
        throw new CallbackDataError(`bad month ${value}`);
      return value.replace('-', '');
    case 'word':
      if (typeof value !== 'string' || !WORD.test(value)) throw new CallbackDataError(`bad word ${value}`);
      return value;
  }
}

function decodeArg(kind: ArgKind, raw: string): number | string | undefined {
  switch (kind) {
    case 'id':
    case 'int': {
      if (!/^[0-9a-z]{1,11}$/.test(raw)) return undefined;
      const n = parseInt(raw, 36);
      if (!Number.isSafeInteger(n) || (kind === 'id' && n < 1)) return undefined;
      return n;
    }
    case 'date':
      return /^\d{8}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4, 6)}-${raw.slice(6)}` : undefined;
    case 'month':
      return /^\d{6}$/.test(raw) ? `${raw.slice(0, 4)}-${raw.slice(4)}` : undefined;
    case 'word':
      return WORD.test(raw) ? raw : undefined;
  }
}

export interface RouteOptions {
  /** The button lives on a message other than the current menu (a notification, a one-off prompt): never stale. */
  anyMessage?: boolean;
}

const REGISTRY = new Map<string, CallbackRoute>();

/** The route a button's data names, if the bot has one (data naming none is forged or from an older version). */
export function routeOf(data: string): CallbackRoute | undefined {
  return REGISTRY.get(data.split(SEPARATOR, 1)[0]);
}

/** A button kind: its name and the kinds of its arguments, e.g. `route('bkt', ['id', 'id', 'date'])`. */
export class CallbackRoute<K extends readonly ArgKind[] = readonly ArgKind[]> {
  /** Matches this route's data (for telegraf's `action`); decode() validates the arguments. */
  readonly pattern: RegExp;

  constructor(
    readonly name: string,
    readonly args: K,
    readonly options: RouteOptions = {},
  ) {
    if (!ROUTE_NAME.test(name)) throw new CallbackDataError(`bad route name ${name}`);
    // Two routes of one name would share data: caught when the second module loads.
    if (REGISTRY.has(name)) throw new CallbackDataError(`route ${name} defined twice`);
    REGISTRY.set(name, this as unknown as CallbackRoute);
    this.pattern = new RegExp(`^${name}(:|$)`);
  }

  encode(...values: ArgsOf<K>): string {
    if (values.length !== this.args.length)
      throw new CallbackDataError(`${this.name}: expected ${this.args.length} args`);
    const data = [
      this.name,
      ...this.args.map((kind, i) => encodeArg(kind, values[i] as number | string)),
    ].join(SEPARATOR);
    if (Buffer.byteLength(data) > CALLBACK_DATA_MAX_BYTES)
      throw new CallbackDataError(`${this.name}: callback data over ${CALLBACK_DATA_MAX_BYTES} bytes`);
    return data;
  }

  /** The arguments, or undefined when the data is not this route's or is malformed (a forged or outdated button). */
  decode(data: string | undefined): ArgsOf<K> | undefined {
    if (!data) return undefined;
    const parts = data.split(SEPARATOR);
    if (parts[0] !== this.name || parts.length !== this.args.length + 1) return undefined;
    const values: (number | string)[] = [];
    for (let i = 0; i < this.args.length; i++) {
      const value = decodeArg(this.args[i], parts[i + 1]);
      if (value === undefined) return undefined;
      values.push(value);
    }
    return values as unknown as ArgsOf<K>;
  }
}

export function route<const K extends readonly ArgKind[]>(
  name: string,
  args: K,
  options?: RouteOptions,
): CallbackRoute<K> {
  return new CallbackRoute(name, args, options);
}

/**
 * Buttons other modules send (notifications): the bot answers them from any message, not only the
 * current menu. Outcome words: `done` | `no_show` for the completion card; `come` | `move` | `cancel`
 * for the reminder.
 */
export const NotificationButtons = {
  /** The completion card: did the visit take place? */
  completion: route('bkdone', ['id', 'word'] as const, { anyMessage: true }),
  /** The client's reminder: I'll come / reschedule / cancel. */
  reminder: route('bkrem', ['id', 'word'] as const, { anyMessage: true }),
};
