import type {
  Language,
  LocationDto,
  ServiceDto,
  SpecialistDto,
  SpecialistServiceDto,
} from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { durationText, money } from '../../../ui/format';
import { KeyboardBuilder, Paged } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { AdminHours } from '../hours/hours.routes';
import { durationButtons } from '../services/services.screens';
import { AdminSpecialists } from './specialists.routes';

const withNotice = (text: string, notice?: string) => (notice ? `${notice}\n\n${text}` : text);

export function listScreen(lang: Language, paged: Paged<SpecialistDto>): Screen {
  const kb = new KeyboardBuilder(lang);
  for (const s of paged.items)
    kb.button(`${s.active ? '' : '🚫 '}${s.name}`, AdminSpecialists.card.encode(s.id));
  kb.paging(paged, (p) => AdminSpecialists.list.encode(p));
  kb.button(t('adm.spec.add', lang), AdminSpecialists.add.encode());
  kb.nav();
  return { text: t(paged.items.length ? 'adm.spec.title' : 'adm.spec.none', lang), keyboard: kb.build() };
}

const serviceLine = (s: SpecialistServiceDto, currency: string, lang: Language) =>
  `${s.name} · ${durationText(s.durationMin, lang)} · ${money(s.price, currency, lang)}`;

export function cardScreen(lang: Language, s: SpecialistDto, currency: string, notice?: string): Screen {
  const kb = new KeyboardBuilder(lang)
    .row([
      { text: t('adm.spec.locations', lang), callback_data: AdminSpecialists.locations.encode(s.id) },
      { text: t('adm.spec.services', lang), callback_data: AdminSpecialists.services.encode(s.id, 0) },
    ])
    .row([
      { text: t('adm.spec.edit_bio', lang), callback_data: AdminSpecialists.bio.encode(s.id) },
      { text: t('adm.spec.hours', lang), callback_data: AdminHours.locations.encode(s.id) },
    ])
    .button(
      t(s.active ? 'adm.spec.deactivate' : 'adm.spec.activate', lang),
      s.active ? AdminSpecialists.deactivateAsk.encode(s.id) : AdminSpecialists.activate.encode(s.id),
    )
    .nav(AdminSpecialists.list.encode(0));
  const none = t('adm.common.none', lang);
  const text = t('adm.spec.card', lang, {
    name: s.name,
    bio: s.bio || none,
    locations: s.locations.map((l) => l.name).join(', ') || none,
    services: s.services.map((x) => `• ${serviceLine(x, currency, lang)}`).join('\n') || none,
    status: t(s.active ? 'adm.common.active' : 'adm.common.inactive', lang),
  });
  return { text: withNotice(text, notice), keyboard: kb.build() };
}

export function deactivateAskScreen(lang: Language, s: SpecialistDto): Screen {
  const kb = new KeyboardBuilder(lang).row([
    { text: t('adm.common.yes_deactivate', lang), callback_data: AdminSpecialists.deactivate.encode(s.id) },
    { text: t('adm.common.no', lang), callback_data: AdminSpecialists.card.encode(s.id) },
  ]);
  return { text: t('adm.spec.deactivate_ask', lang, { name: s.name }), keyboard: kb.build() };
}

/** Every active location as a toggle; ✓ where the specialist works. */
export function locationsScreen(lang: Language, s: SpecialistDto, locations: LocationDto[]): Screen {
  const kb = new KeyboardBuilder(lang);
  const mine = new Set(s.locations.map((l) => l.id));
  for (const l of locations)
    kb.button(
      `${mine.has(l.id) ? '✅' : '⬜️'} ${l.name}`,
      AdminSpecialists.toggleLocation.encode(s.id, l.id),
    );
  kb.nav(AdminSpecialists.card.encode(s.id));
  return {
    text: t(locations.length ? 'adm.spec.locations_title' : 'adm.spec.no_locations', lang, { name: s.name }),
    keyboard: kb.build(),
  };
}

/** Every active service as a toggle; an offered one also opens its own duration and price. */
export function servicesScreen(
  lang: Language,
  s: SpecialistDto,
  paged: Paged<ServiceDto>,
  currency: string,
): Screen {
  const kb = new KeyboardBuilder(lang);
  const mine = new Map(s.services.map((x) => [x.serviceId, x]));
  for (const svc of paged.items) {
    const offered = mine.get(svc.id);
    const toggle = {
      text: `${offered ? '✅' : '⬜️'} ${svc.name}`,
      callback_data: AdminSpecialists.toggleService.encode(s.id, svc.id),
    };
    kb.row(
      offered
        ? [
            toggle,
            {
              text: `⚙️ ${durationText(offered.durationMin, lang)} · ${money(offered.price, currency, lang)}`,
              callback_data: AdminSpecialists.service.encode(s.id, svc.id),
            },
          ]
        : [toggle],
    );
  }
  kb.paging(paged, (p) => AdminSpecialists.services.encode(s.id, p));
  kb.nav(AdminSpecialists.card.encode(s.id));
  return {
    text: t(paged.items.length ? 'adm.spec.services_title' : 'adm.spec.no_services', lang, { name: s.name }),
    keyboard: kb.build(),
  };
}

/** The specialist's own duration (buttons) and price (typed) for one service, or the service's. */
export function serviceScreen(
  lang: Language,
  s: SpecialistDto,
  offered: SpecialistServiceDto,
  service: ServiceDto,
  currency: string,
  notice?: string,
): Screen {
  const kb = new KeyboardBuilder(lang)
    .grid(
      durationButtons(
        lang,
        (m) => AdminSpecialists.serviceDuration.encode(s.id, service.id, m),
        offered.customDurationMin,
      ),
      4,
    )
    .button(
      t('adm.spec.duration_default', lang),
      AdminSpecialists.serviceDuration.encode(s.id, service.id, 0),
    )
    .row([
      {
        text: t('adm.spec.price_own', lang),
        callback_data: AdminSpecialists.servicePrice.encode(s.id, service.id),
      },
      {
        text: t('adm.spec.price_default', lang),
        callback_data: AdminSpecialists.servicePriceReset.encode(s.id, service.id),
      },
    ])
    .nav(AdminSpecialists.services.encode(s.id, 0));
  const text = t('adm.spec.service_card', lang, {
    name: s.name,
    service: service.name,
    duration: durationText(offered.durationMin, lang),
    price: money(offered.price, currency, lang),
    default_duration: durationText(service.durationMin, lang),
    default_price: money(service.price, currency, lang),
  });
  return { text: withNotice(text, notice), keyboard: kb.build() };
}

/** The add prompt: the four ways to name the person. */
export function addPromptScreen(lang: Language): Screen {
  const kb = new KeyboardBuilder(lang).nav(AdminSpecialists.list.encode(0));
  return { text: t('adm.spec.ask_person', lang), keyboard: kb.build() };
}

/** A one-line prompt for typed text with a way back. */
export function typePromptScreen(lang: Language, text: string, back: string): Screen {
  return { text, keyboard: new KeyboardBuilder(lang).nav(back).build() };
}
