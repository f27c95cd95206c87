import { Injectable } from '@nestjs/common';
import { BookingDto, LocationsApi, ServicesApi, SpecialistsApi, UserDto, UsersApi } from '../../booking/api';
import type { Language } from '../../booking/api/users.dto';
import { SYSTEM_ACTOR } from '../../common/actor';
import { AdTemplatesApi } from '../api/ad-templates.api';
import { NotificationSettingsApi } from '../api/notification-settings.api';
import { PushSubscriptionsApi } from '../api/push-subscriptions.api';
import type {
  NotificationChannel,
  NotificationEventType,
  RecipientRole,
} from '../api/notification-settings.dto';
import type { BroadcastJob, DeliverJob, EventJob } from './notification-queues';
import { bookingText, MessageFacts, notificationButtons, pushTitle, withAd } from './notification-texts';
import { recipientRoles } from './recipients';
import { WebPushSender } from './web-push-sender';

const USERS_PAGE = 200;

/** Notification settings looked up once per event x role x channel while one event is composed. */
class SettingsMemo {
  private readonly found = new Map<string, Promise<{ enabled: boolean; adTemplateId: number | null }>>();

  constructor(private readonly settings: NotificationSettingsApi) {}

  get(eventType: NotificationEventType, recipientRole: RecipientRole, channel: NotificationChannel) {
    const key = `${eventType} ${recipientRole} ${channel}`;
    let setting = this.found.get(key);
    if (!setting) {
      // No row: on, without an ad.
      setting = this.settings
        .list(SYSTEM_ACTOR, { eventType, recipientRole, channel, limit: 1 })
        .then(({ items }) => items[0] ?? { enabled: true, adTemplateId: null });
      this.found.set(key, setting);
    }
    return setting;
  }
}

interface Recipient {
  user: UserDto;
  role: RecipientRole;
}

/** Who a booking's messages go to, and what they say of it. */
interface BookingFacts {
  client: UserDto;
  specialistUserId: number;
  message: MessageFacts;
}

/**
 * Turns one booking event into one message per recipient and channel: who (recipientRoles, minus
 * the initiator and blocked users), whether (notification settings: enabled unless a row says
 * otherwise), in which language (the recipient's), and with which ad (the setting's, if active).
 */
@Injectable()
export class NotificationComposer {
  constructor(
    private readonly users: UsersApi,
    private readonly specialists: SpecialistsApi,
    private readonly services: ServicesApi,
    private readonly locations: LocationsApi,
    private readonly settings: NotificationSettingsApi,
    private readonly ads: AdTemplatesApi,
    private readonly subscriptions: PushSubscriptionsApi,
    private readonly webPush: WebPushSender,
  ) {}

  async compose(event: EventJob): Promise<DeliverJob[]> {
    const facts = await this.facts(event.payload.booking);
    const settings = new SettingsMemo(this.settings);
    const { payload } = event;
    const said = {
      type: event.type,
      initiator: payload.initiator.role,
      previousStartAt: payload.previous?.startAt,
      reason: payload.reason,
    };
    const jobs: DeliverJob[] = [];
    for (const { user, role } of await this.recipients(event, facts)) {
      // The completion question is answered with Telegram buttons; the web has the REST API for it.
      if (event.type === 'booking_done' && user.tgId === null) continue;
      const text = (lang: Language) => bookingText(said, role, lang, facts.message);
      const message = { eventType: event.type, ref: `outbox-${event.outboxId}`, text };
      const buttons = notificationButtons(event.type, event.payload.booking.id, user.language);
      jobs.push(...(await this.jobsFor(user, role, message, settings, buttons)));
    }
    return jobs;
  }

  /** A broadcast: one message to every user of its roles but the sender, with that role's ad. */
  async composeBroadcast(broadcast: BroadcastJob): Promise<DeliverJob[]> {
    const settings = new SettingsMemo(this.settings);
    const message = {
      eventType: 'broadcast' as const,
      ref: `broadcast-${broadcast.broadcastId}`,
      text: () => broadcast.text,
    };
    const jobs: DeliverJob[] = [];
    for (const role of broadcast.roles) {
      for (const user of await this.usersWithRole(role)) {
        if (user.blocked || user.id === broadcast.senderId) continue;
        jobs.push(...(await this.jobsFor(user, role, message, settings)));
      }
    }
    return jobs;
  }

  /** Telegram when the user has it; otherwise each browser they subscribed, over Web Push. */
  private async jobsFor(
    user: UserDto,
    role: RecipientRole,
    message: { eventType: NotificationEventType; ref: string; text: (lang: Language) => string },
    settings: SettingsMemo,
    buttons?: DeliverJob['buttons'],
  ): Promise<DeliverJob[]> {
    const channel: NotificationChannel = user.tgId !== null ? 'telegram' : 'web_push';
    if (channel === 'web_push' && !this.webPush.enabled) return [];
    const setting = await settings.get(message.eventType, role, channel);
    if (!setting.enabled) return [];
    const lang = user.language;
    const base = {
      ref: message.ref,
      eventType: message.eventType,
      userId: user.id,
      role,
      channel,
      title: pushTitle(lang),
      text: withAd(message.text(lang), await this.ad(setting.adTemplateId), lang),
    };
    if (channel === 'telegram') return [{ ...base, chatId: user.tgId, subscriptionId: null, buttons }];
    return (await this.browsersOf(user.id)).map((subscriptionId) => ({
      ...base,
      chatId: null,
      subscriptionId,
    }));
  }

  private async facts(booking: BookingDto): Promise<BookingFacts> {
    const [client, specialist, service, location] = await Promise.all([
      this.users.get(SYSTEM_ACTOR, booking.clientId),
      this.specialists.get(SYSTEM_ACTOR, booking.specialistId),
      this.services.get(SYSTEM_ACTOR, booking.serviceId),
      this.locations.get(SYSTEM_ACTOR, booking.locationId),
    ]);
    return {
      client,
      specialistUserId: specialist.userId,
      message: {
        client: client.name,
        specialist: specialist.name,
        service: service.name,
        location: location.name,
        timeZone: location.timeZone,
        startAt: booking.startAt,
      },
    };
  }

  private async recipients(event: EventJob, facts: BookingFacts): Promise<Recipient[]> {
    const { initiator } = event.payload;
    const found: Recipient[] = [];
    for (const role of recipientRoles(event.type, initiator.role)) {
      if (role === 'client') found.push({ user: facts.client, role });
      if (role === 'specialist')
        found.push({ user: await this.users.get(SYSTEM_ACTOR, facts.specialistUserId), role });
      if (role === 'admin') for (const user of await this.usersWithRole('admin')) found.push({ user, role });
    }
    const ownConfirmation = (r: Recipient) => r.role === 'client' && event.type === 'booking_created';
    const seen = new Set<number>();
    return found.filter((r) => {
      if (r.user.blocked || seen.has(r.user.id)) return false;
      seen.add(r.user.id);
      // The initiator is not told of their own action, except the client's confirmation of their booking.
      return r.user.id !== initiator.userId || ownConfirmation(r);
    });
  }

  private async browsersOf(userId: number): Promise<number[]> {
    const { items } = await this.subscriptions.list(SYSTEM_ACTOR, { userId, limit: 200 });
    return items.map((s) => s.id);
  }

  private async usersWithRole(role: RecipientRole): Promise<UserDto[]> {
    const users: UserDto[] = [];
    for (let offset = 0; ; offset += USERS_PAGE) {
      const page = await this.users.list(SYSTEM_ACTOR, { role, limit: USERS_PAGE, offset });
      users.push(...page.items);
      if (page.items.length < USERS_PAGE) return users;
    }
  }

  private async ad(adTemplateId: number | null) {
    if (adTemplateId === null) return undefined;
    // A deleted ad leaves the message as it is.
    return this.ads.get(SYSTEM_ACTOR, adTemplateId).catch(() => undefined);
  }
}
