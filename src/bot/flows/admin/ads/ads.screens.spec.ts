import type { AdTemplateDto } from '../../../../notifications/api';
import { cardScreen, checkAdInput, previewText } from './ads.screens';

const ad: AdTemplateDto = {
  id: 5,
  name: 'Spring',
  textRu: 'Скидка 10%',
  textEn: '10% off',
  active: true,
  createdAt: '',
  updatedAt: '',
};

describe('ad screens', () => {
  it.each([
    ['name', '  Spring  ', { value: 'Spring' }],
    ['name', '   ', { error: 'adm.ads.name_invalid', max: 120 }],
    ['name', 'x'.repeat(121), { error: 'adm.ads.name_invalid', max: 120 }],
    ['ru', 'x'.repeat(1000), { value: 'x'.repeat(1000) }],
    ['en', 'x'.repeat(1001), { error: 'adm.ads.text_invalid', max: 1000 }],
  ] as const)('%s %j', (field, text, expected) => {
    expect(checkAdInput(field, text)).toEqual(expected);
  });

  it.each([
    ['en', 'en', /^👁 This is how a recipient sees it:\n\nYour booking is confirmed: .+\n\n10% off$/],
    ['en', 'ru', /^👁 This is how a recipient sees it:\n\nВаша запись подтверждена: .+\n\nСкидка 10%$/],
    ['ru', 'en', /^👁 Так это увидит получатель:\n\nYour booking is confirmed: .+\n\n10% off$/],
  ] as const)('preview for a %s admin of the %s text', (lang, reader, expected) => {
    expect(previewText(lang, reader, ad)).toMatch(expected);
  });

  it.each([
    [true, '🚫 Deactivate', 'adx:5'],
    [false, '✅ Activate', 'adon:5'],
  ])('active %s offers %s', (active, label, data) => {
    const rows = cardScreen('en', { ...ad, active }).keyboard;
    expect(rows[2]).toEqual([{ text: label, callback_data: data }]);
  });
});
