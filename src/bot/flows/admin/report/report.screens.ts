import { DateTime } from 'luxon';
import type { BookingsReportDto, Language, ReportFiguresDto, ReportPeriod } from '../../../../booking/api';
import { REPORT_PERIODS } from '../../../../booking/api';
import { t } from '../../../i18n/i18n';
import { day, money, monthTitle } from '../../../ui/format';
import { KeyboardBuilder } from '../../../ui/keyboard';
import type { Screen } from '../../../ui/screen';
import { Report } from './report.routes';

const PERIOD_KEY = { day: 'adm.rep.day', week: 'adm.rep.week', month: 'adm.rep.month' } as const;

/** The same period before or after: a day, a week, a month away. */
export function shiftPeriod(period: ReportPeriod, date: string, by: number): string {
  return DateTime.fromISO(date)
    .plus({ [`${period}s`]: by })
    .toISODate()!;
}

function figures(f: ReportFiguresDto, currency: string, lang: Language): string {
  return t('adm.rep.figures', lang, {
    bookings: f.bookings,
    done: f.done,
    no_shows: f.noShows,
    cancelled: f.cancelled,
    revenue: money(f.revenue, currency, lang),
  });
}

function title(report: BookingsReportDto, lang: Language): string {
  if (report.period === 'day') return day(report.firstDate, lang);
  if (report.period === 'month') return monthTitle(report.firstDate.slice(0, 7), lang);
  return `${day(report.firstDate, lang)} – ${day(report.lastDate, lang)}`;
}

/** The report: totals, then each location and its specialists; Day / Week / Month and the period before or after. */
export function reportScreen(lang: Language, report: BookingsReportDto, currency: string): Screen {
  const lines = [
    t('adm.rep.title', lang, { period: title(report, lang) }),
    '',
    t('adm.rep.total', lang, { figures: figures(report.totals, currency, lang) }),
  ];
  for (const location of report.locations) {
    lines.push('', `🏠 ${location.name} (${location.timeZone})`, figures(location, currency, lang));
    for (const s of location.specialists) lines.push(`  • ${s.name}: ${figures(s, currency, lang)}`);
    if (!location.specialists.length) lines.push(`  ${t('adm.rep.no_bookings', lang)}`);
  }
  const { period, firstDate } = report;
  const kb = new KeyboardBuilder(lang)
    .row(
      REPORT_PERIODS.map((p) => ({
        text: `${p === period ? '• ' : ''}${t(PERIOD_KEY[p], lang)}`,
        callback_data: Report.show.encode(p, firstDate),
      })),
    )
    .row([
      {
        text: t('common.prev', lang),
        callback_data: Report.show.encode(period, shiftPeriod(period, firstDate, -1)),
      },
      {
        text: t('common.next', lang),
        callback_data: Report.show.encode(period, shiftPeriod(period, firstDate, 1)),
      },
    ])
    .nav();
  return { text: lines.join('\n'), keyboard: kb.build() };
}
