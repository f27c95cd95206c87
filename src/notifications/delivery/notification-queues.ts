import type { BookingEventPayload } from '../../booking/api';
import type { AppConfig } from '../../config/app-config';
import type {
  NotificationChannel,
  NotificationEventType,
  RecipientRole,
} from '../api/notification-settings.dto';
import type { NotifyingEvent } from './recipients';

/** Instant notifications of booking events. */
export const P2P_QUEUE = 'p2p';
/** Jobs of `p2p` that failed for good (attempts used up, or refused by Telegram for a reason that retrying cannot change). */
export const P2P_DEAD_QUEUE = 'p2p-dead';
/** Admin broadcasts, throttled to Telegram's overall limit of 30 messages/s. */
export const BROADCAST_QUEUE = 'broadcast';
export const BROADCAST_DEAD_QUEUE = 'broadcast-dead';
export const NOTIFICATION_QUEUES = [
  P2P_QUEUE,
  P2P_DEAD_QUEUE,
  BROADCAST_QUEUE,
  BROADCAST_DEAD_QUEUE,
] as const;

/** A relayed outbox event: who hears of it is decided when it runs. */
export interface EventJob {
  outboxId: number;
  type: NotifyingEvent;
  payload: BookingEventPayload;
}

/** An admin's message to every user of the given roles. */
export interface BroadcastJob {
  broadcastId: string;
  text: string;
  roles: RecipientRole[];
  /** The admin who sent it: not a recipient. */
  senderId: number;
}

/** One message to one user on one channel. */
export interface DeliverJob {
  /** What it belongs to (`outbox-<id>`, `broadcast-<id>`): with user, channel and browser, its job id. */
  ref: string;
  eventType: NotificationEventType;
  userId: number;
  role: RecipientRole;
  channel: NotificationChannel;
  /** Telegram chat id (the user's tg_id) for the telegram channel. */
  chatId: number | null;
  /** The browser subscription for the web_push channel. */
  subscriptionId: number | null;
  /** Telegram inline buttons under the message (rows of them); their data is the bot's to handle. */
  buttons?: { text: string; data: string }[][];
  /** Web Push notifications have a title; Telegram messages do not. */
  title: string;
  text: string;
  /** The outbox event it tells of: a chat's messages are sent in this order (ChatOrder). Broadcasts have none. */
  outboxId?: number;
}

export interface DeadLetter {
  queue: string;
  name: string;
  jobId: string | undefined;
  data: unknown;
  reason: string;
  attemptsMade: number;
  failedAt: string;
}

export const deliverJobId = (d: DeliverJob) =>
  `deliver-${d.ref}-${d.userId}-${d.channel}-${d.subscriptionId ?? 0}`;

export const EVENT_JOB = 'event';
export const DELIVER_JOB = 'deliver';

const DAY_SECONDS = 24 * 3600;

/**
 * 3 attempts with exponential backoff (1 s, 2 s) for what may pass (5xx, network). Finished jobs are
 * kept a day: a job id that still exists makes a second `add` a no-op, which is what keeps a relay or
 * fan-out that runs twice from notifying twice.
 */
export const JOB_OPTIONS = {
  attempts: 3,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: DAY_SECONDS },
  removeOnFail: { age: 7 * DAY_SECONDS },
} as const;

/** The longest wait between two attempts to reach Redis again. */
const RECONNECT_MAX_MS = 500;

/** BullMQ's connection from REDIS_URL; its keys live under the app's prefix, so tests never collide with a running app. */
export function bullOptions(config: AppConfig) {
  const url = new URL(config.effectiveRedisUrl);
  return {
    connection: {
      host: url.hostname,
      port: Number(url.port || 6379),
      username: url.username ? decodeURIComponent(url.username) : undefined,
      password: url.password ? decodeURIComponent(url.password) : undefined,
      db: Number(url.pathname.slice(1) || 0),
      tls: url.protocol === 'rediss:' ? {} : undefined,
      connectTimeout: 2000,
      // BullMQ's default backoff grows to 20 s (8 s after nine tries): after an outage the queues and
      // the outbox relay stayed idle for seconds after Redis was back. A refused connect is cheap.
      retryStrategy: (times: number) => Math.min(times * 100, RECONNECT_MAX_MS),
    },
    prefix: `${config.redisPrefix}bull`,
  };
}
