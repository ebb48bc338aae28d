/**
 * Words of the hover card in the reader's languages. The card speaks the page's language when it is
 * one of ours (an Arabic page gets an Arabic, right-to-left card), else the browser's.
 *
 * Kept in the background and fetched once per page when the first card opens (`page.labels`): the
 * content script must stay under 20 kB gzipped, and it only ever needs one language. Templates use
 * `{name}` placeholders (`fillLabel`), so the labels are plain JSON.
 */
import type { EntityType } from '../kb/schema';
import type { PageDateSource } from '../messaging/protocol-page';

export type DateSourceKey = PageDateSource | 'sentence' | 'apposition';

export interface CardLabels {
  types: Record<EntityType, string>;
  openDetails: string;
  addNote: string;
  close: string;
  loading: string;
  recentEvents: string;
  noEvents: string;
  yours: string;
  /** "Refers to {person}, {office}" */
  refersTo: string;
  /** " since {date}" */
  since: string;
  /** "Date used: {date} ({source})." */
  dateUsed: string;
  dateSources: Record<DateSourceKey, string>;
  /** For a title followed by the holder's name: no date was needed. */
  namedNext: string;
  noteSent: string;
  /** "… only its first {limit} characters were scanned." */
  truncated: string;
}

/** Replaces `{name}` placeholders. */
export function fillLabel(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');
}

const en: CardLabels = {
  types: { person: 'Person', organization: 'Organisation', country: 'Country', place: 'Place', agreement: 'Agreement', exercise: 'Exercise', event: 'Event', equipment: 'Equipment' },
  openDetails: 'Open details',
  addNote: 'Add note',
  close: 'Close',
  loading: 'Loading…',
  recentEvents: 'Recent events',
  noEvents: 'No linked events in the knowledge base.',
  yours: 'yours',
  refersTo: 'Refers to {person}, {office}',
  since: ' since {date}',
  dateUsed: 'Date used: {date} ({source}).',
  dateSources: {
    meta: 'page metadata',
    'json-ld': 'page data',
    time: 'date on the page',
    url: 'page address',
    dateline: 'dateline',
    visit: 'your visit',
    sentence: 'the sentence',
    apposition: 'name given next to it',
  },
  namedNext: 'Named next to the title in the text.',
  noteSent: 'Note editor opened.',
  truncated: 'Attaché: this page is very long; only its first {limit} characters were scanned.',
};

const fr: CardLabels = {
  types: { person: 'Personne', organization: 'Organisation', country: 'Pays', place: 'Lieu', agreement: 'Accord', exercise: 'Exercice', event: 'Événement', equipment: 'Équipement' },
  openDetails: 'Voir la fiche',
  addNote: 'Ajouter une note',
  close: 'Fermer',
  loading: 'Chargement…',
  recentEvents: 'Événements récents',
  noEvents: 'Aucun événement lié dans la base.',
  yours: 'ajouté par vous',
  refersTo: 'Désigne {person}, {office}',
  since: ' depuis {date}',
  dateUsed: 'Date retenue : {date} ({source}).',
  dateSources: {
    meta: 'métadonnées',
    'json-ld': 'données de la page',
    time: 'date affichée',
    url: 'adresse de la page',
    dateline: 'date en tête',
    visit: 'votre visite',
    sentence: 'la phrase',
    apposition: 'nom accolé',
  },
  namedNext: 'Nommé à côté du titre dans le texte.',
  noteSent: 'Éditeur de note ouvert.',
  truncated: 'Attaché : page très longue ; seuls ses {limit} premiers caractères ont été analysés.',
};

const ar: CardLabels = {
  types: { person: 'شخص', organization: 'منظمة', country: 'دولة', place: 'مكان', agreement: 'اتفاقية', exercise: 'مناورة', event: 'حدث', equipment: 'معدات' },
  openDetails: 'عرض التفاصيل',
  addNote: 'إضافة ملاحظة',
  close: 'إغلاق',
  loading: 'جارٍ التحميل…',
  recentEvents: 'أحدث الأحداث',
  noEvents: 'لا أحداث مرتبطة في قاعدة المعرفة.',
  yours: 'أضفته أنت',
  refersTo: 'المقصود {person}، {office}',
  since: ' منذ {date}',
  dateUsed: 'التاريخ المعتمد: {date} ({source}).',
  dateSources: {
    meta: 'البيانات الوصفية',
    'json-ld': 'بيانات الصفحة',
    time: 'تاريخ الصفحة',
    url: 'عنوان الصفحة',
    dateline: 'رأس الخبر',
    visit: 'زيارتك',
    sentence: 'الجملة',
    apposition: 'الاسم المذكور',
  },
  namedNext: 'ورد اسمه بجوار المنصب في النص.',
  noteSent: 'فُتح محرر الملاحظات.',
  truncated: 'أتاشيه: الصفحة طويلة جدًا؛ فُحص أول {limit} حرف منها فقط.',
};

const LABELS: Record<string, CardLabels> = { en, fr, ar };

/** Labels for a page language (`<html lang>`), falling back to the browser's language, then English. */
export function cardLabels(pageLang: string | undefined, uiLang: string | undefined): CardLabels {
  const pick = (l?: string) => (l ? LABELS[l.slice(0, 2).toLowerCase()] : undefined);
  return pick(pageLang) ?? pick(uiLang) ?? en;
}
