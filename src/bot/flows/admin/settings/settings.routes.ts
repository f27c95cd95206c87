import { route } from '../../../api/callback-codec';

/** The settings typed as text (the others are chosen with buttons). */
export const TYPED_FIELDS = ['notice', 'horizon', 'cutoff', 'currency'] as const;
export type TypedField = (typeof TYPED_FIELDS)[number];

export const asTypedField = (word: string): TypedField | undefined =>
  (TYPED_FIELDS as readonly string[]).includes(word) ? (word as TypedField) : undefined;

export const SalonSettings = {
  show: route('stg', []),
  /** a typed field's prompt */
  edit: route('stge', ['word']),
  autoConfirm: route('stga', []),
  languages: route('stgl', []),
  language: route('stgls', ['word']),
  /** a currency from the short list, lower case */
  currency: route('stgcs', ['word']),
};
