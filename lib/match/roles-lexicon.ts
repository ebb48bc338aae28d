/**
 * The words news uses for an office instead of a name ("China's defence minister", "le ministre
 * chinois de la Défense", "وزير الدفاع الصيني"), in English, French and Arabic, as data.
 *
 * A pattern is a phrase with two kinds of placeholders, expanded by `expandPattern`:
 * - `{slot}`: the country, in the form the slot names (see `COUNTRY_FORMS`): an adjective, a
 *   possessive, a genitive. A pattern with a slot is expanded once per country of its family.
 * - `(a|b|)`: alternatives; an empty alternative makes the group optional.
 * Case, diacritics, apostrophes, hyphens and Arabic letter variants do not matter (see
 * `roles-tokens.ts`), so patterns are written once in their ordinary spelling. Arabic proclitics
 * (و ف ب ك ل) are handled by the matcher; list bare words.
 */
import type { Office } from '../kb/schema';

export type RoleLang = 'en' | 'fr' | 'ar';
export type CountryKey = 'ir' | 'cn' | 'ru' | 'us';

/**
 * Country forms by slot.
 * en: `A` adjective ("Chinese"), `P` possessive ("China's"), `C` = A ∪ P (the prenominal position),
 *     `OF` the noun phrase after "of" ("China", "the People's Republic of China").
 * fr: `M`/`F` masculine/feminine adjective, `MP`/`FP` plurals, `DE` genitive ("de la Chine", "d'Iran").
 * ar: `am`/`af` masculine/feminine adjective ("الصيني"/"الصينية"), `an` the noun in construct ("الصين").
 */
export const COUNTRY_FORMS: Record<CountryKey, Record<string, string[]>> = {
  ir: {
    A: ['Iranian'],
    P: ["Iran's", "Tehran's"],
    OF: ['Iran', 'the Islamic Republic of Iran', 'the Islamic Republic'],
    M: ['iranien'],
    F: ['iranienne'],
    MP: ['iraniens'],
    FP: ['iraniennes'],
    DE: ["de l'Iran", "d'Iran", "de la République islamique d'Iran", 'de la République islamique'],
    am: ['الإيراني'],
    af: ['الإيرانية'],
    an: ['إيران', 'الجمهورية الإسلامية الإيرانية', 'الجمهورية الإسلامية'],
  },
  cn: {
    A: ['Chinese'],
    P: ["China's", "Beijing's"],
    OF: ['China', "the People's Republic of China", 'the PRC'],
    M: ['chinois'],
    F: ['chinoise'],
    MP: ['chinois'],
    FP: ['chinoises'],
    DE: ['de la Chine', 'de Chine', 'de la République populaire de Chine', 'de la RPC'],
    am: ['الصيني'],
    af: ['الصينية'],
    an: ['الصين', 'جمهورية الصين الشعبية'],
  },
  ru: {
    A: ['Russian'],
    P: ["Russia's", "Moscow's"],
    OF: ['Russia', 'the Russian Federation'],
    M: ['russe'],
    F: ['russe'],
    MP: ['russes'],
    FP: ['russes'],
    DE: ['de la Russie', 'de Russie', 'de la Fédération de Russie'],
    am: ['الروسي'],
    af: ['الروسية'],
    an: ['روسيا', 'روسيا الاتحادية'],
  },
  us: {
    A: ['US', 'U.S.', 'American', 'United States'],
    P: ["America's", "Washington's", "the United States'"],
    OF: ['the United States', 'the US', 'the U.S.', 'America'],
    M: ['américain'],
    F: ['américaine'],
    MP: ['américains'],
    FP: ['américaines'],
    DE: ['des États-Unis', "d'Amérique"],
    am: ['الأمريكي', 'الأميركي'],
    af: ['الأمريكية', 'الأميركية'],
    an: ['الولايات المتحدة', 'أمريكا', 'أميركا', 'الولايات المتحدة الأمريكية'],
  },
};

export interface OfficeFamily {
  /** Short name for tests and debugging. */
  key: string;
  /** Office per country for patterns with a country slot; `none` for patterns without one. */
  offices: Partial<Record<CountryKey | 'none', Office>>;
  patterns: Partial<Record<RoleLang, string[]>>;
  /**
   * Folded first tokens that, right after the phrase, mean it names another office
   * ("commander of the IRGC" + "Navy").
   */
  notFollowedBy?: string[];
}

const DEF = '(defence|defense)';

export const OFFICE_FAMILIES: OfficeFamily[] = [
  {
    key: 'president',
    offices: { ir: 'ir.president', cn: 'cn.president', ru: 'ru.president', us: 'us.president' },
    patterns: {
      en: ['{C} president', 'president of {OF}', '{A} head of state'],
      fr: ['président {M}', 'président {DE}', "chef de l'État {M}", 'président de la République {M}'],
      ar: ['الرئيس {am}', 'رئيس {an}', 'رئيس الجمهورية {am}', 'رئيس جمهورية {an}'],
    },
  },
  {
    key: 'president-extra',
    offices: { none: 'ru.president' },
    patterns: { fr: ['maître du Kremlin', 'chef du Kremlin'], ar: ['سيد الكرملين'] },
  },
  {
    key: 'supreme-leader',
    offices: { ir: 'ir.supreme-leader' },
    patterns: {
      en: ['{C} supreme leader', 'supreme leader of {OF}'],
      fr: ['guide suprême {M}', 'guide suprême {DE}'],
      ar: ['المرشد الأعلى {am}', 'المرشد {am}', 'مرشد {an}', 'المرشد الأعلى في {an}'],
    },
  },
  {
    key: 'supreme-leader-extra',
    offices: { none: 'ir.supreme-leader' },
    patterns: {
      en: ['(supreme |)leader of the Islamic Revolution'],
      fr: ['guide (suprême |)de la Révolution islamique'],
      ar: ['المرشد الأعلى للثورة الإسلامية', 'قائد الثورة الإسلامية', 'مرشد الثورة الإسلامية'],
    },
  },
  {
    key: 'head-of-government',
    offices: { cn: 'cn.premier', ru: 'ru.prime-minister' },
    patterns: {
      en: ['{C} (premier|prime minister)', '(premier|prime minister) of {OF}'],
      fr: ['premier ministre {M}', 'premier ministre {DE}', 'chef du gouvernement {M}'],
      ar: ['رئيس الوزراء {am}', 'رئيس وزراء {an}', 'رئيس الحكومة {af}'],
    },
  },
  {
    key: 'premier-cn',
    offices: { cn: 'cn.premier' },
    patterns: { ar: ['رئيس مجلس الدولة {am}'] },
  },
  {
    key: 'foreign-minister',
    offices: { ir: 'ir.foreign-minister', cn: 'cn.foreign-minister', ru: 'ru.foreign-minister', us: 'us.secretary-of-state' },
    patterns: {
      en: [
        '{C} (foreign|foreign affairs) minister',
        '{C} FM',
        '{C} minister (of|for) foreign affairs',
        '{C} top diplomat',
        '(foreign|foreign affairs) minister of {OF}',
        'minister of foreign affairs of {OF}',
      ],
      fr: [
        'ministre {M} des Affaires étrangères',
        'ministre des Affaires étrangères {M}',
        'ministre des Affaires étrangères {DE}',
        'chef de la diplomatie {F}',
        'chef de la diplomatie {DE}',
      ],
      ar: [
        'وزير الخارجية {am}',
        'وزير خارجية {an}',
        'وزير الشؤون الخارجية {am}',
        'رئيس الدبلوماسية {af}',
      ],
    },
  },
  {
    key: 'secretary-of-state',
    offices: { us: 'us.secretary-of-state' },
    patterns: {
      en: ['{A} secretary of state'],
      fr: ["secrétaire d'État {M}"],
    },
  },
  {
    key: 'defence-minister',
    offices: { ir: 'ir.defence-minister', cn: 'cn.defence-minister', ru: 'ru.defence-minister', us: 'us.defense-secretary' },
    patterns: {
      en: [
        `{C} ${DEF} minister`,
        `{C} ${DEF} chief`,
        `{C} minister of (national |)${DEF}`,
        `${DEF} minister of {OF}`,
        `minister of (national |)${DEF} of {OF}`,
      ],
      fr: [
        'ministre {M} de la Défense( nationale|)',
        'ministre de la Défense( nationale|) {M}',
        'ministre de la Défense( nationale|) {DE}',
        'secrétaire {M} à la Défense',
      ],
      ar: [
        'وزير الدفاع {am}',
        'وزير الدفاع الوطني {am}',
        'وزير دفاع {an}',
        'وزير الدفاع في {an}',
      ],
    },
  },
  {
    key: 'defense-secretary',
    offices: { us: 'us.defense-secretary' },
    patterns: {
      en: [`{C} ${DEF} secretary`, `{C} secretary of ${DEF}`, '{C} (war secretary|secretary of war)'],
      ar: ['وزير الحرب {am}'],
    },
  },
  {
    key: 'defense-secretary-extra',
    offices: { none: 'us.defense-secretary' },
    patterns: { en: ['Pentagon chief'], fr: ['chef du Pentagone'] },
  },
  {
    key: 'chief-of-staff',
    offices: { ir: 'ir.chief-of-staff', ru: 'ru.chief-of-general-staff', cn: 'cn.joint-staff-chief' },
    patterns: {
      en: [
        '{C} (armed forces |military |army |)chief of (general |)staff',
        'chief of (the |)(general |)staff of (the {A}|{P}) (armed forces|army|military)',
        'chief of (the |)(general |)staff of the (armed forces|army) of {OF}',
        'chief of the {A} general staff',
      ],
      fr: [
        "chef (d'|de l'|)état-major (général |)(des forces armées|des armées) {FP}",
        "chef (d'|de l'|)état-major (général |)(des forces armées|des armées) {DE}",
        "chef (d'|de l'|)état-major (général |)de l'armée {F}",
        "chef (d'|de l'|)état-major (général |){M}",
      ],
      ar: [
        'رئيس (هيئة |)الأركان (العامة |)للقوات المسلحة {af}',
        'رئيس (هيئة |)أركان القوات المسلحة {af}',
        'رئيس (هيئة |)الأركان (العامة |)(للقوات المسلحة |)في {an}',
        'رئيس (هيئة |)الأركان (العامة |)({am}|{af})',
        'رئيس (هيئة |)أركان الجيش {am}',
        'رئيس (هيئة |)أركان (الجيش |القوات المسلحة |){an}',
      ],
    },
  },
  {
    key: 'top-general',
    offices: { ir: 'ir.chief-of-staff', ru: 'ru.chief-of-general-staff' },
    patterns: {
      en: ['{C} top (general|military officer|military commander)'],
      ar: ['أكبر قائد عسكري {am}'],
    },
  },
  {
    key: 'joint-staff-chief',
    offices: { cn: 'cn.joint-staff-chief', none: 'cn.joint-staff-chief' },
    patterns: {
      en: [
        '{C} chief of (the |)joint staff',
        'chief of the joint staff department of the (Central Military Commission|CMC)',
        "chief of (the |)(joint|general) staff of the (PLA|People's Liberation Army)",
        "(PLA|People's Liberation Army) chief of (the |)(joint|general) staff",
      ],
      fr: [
        "chef d'état-major interarmées {M}",
        "chef (du département |)de l'état-major interarmées de la commission militaire centrale",
        "chef d'état-major de l'Armée populaire de libération",
      ],
      ar: [
        'رئيس (هيئة |)الأركان المشتركة {af}',
        'رئيس (هيئة |)الأركان المشتركة للجنة العسكرية المركزية',
        'رئيس (هيئة |)أركان جيش التحرير الشعبي( الصيني|)',
      ],
    },
  },
  {
    key: 'cmc-vice-chairman',
    offices: { none: 'cn.cmc-vice-chairman' },
    patterns: {
      en: ['vice(-| )chairman of (the |)(China\'s |)(Central Military Commission|CMC)', '(CMC|Central Military Commission) vice(-| )chairman'],
      fr: ['vice-président de la Commission militaire centrale( chinoise|)'],
      ar: ['نائب رئيس اللجنة العسكرية المركزية( الصينية|)'],
    },
  },
  {
    key: 'irgc-commander',
    offices: { none: 'ir.irgc-commander' },
    patterns: {
      en: [
        '(IRGC|Revolutionary Guards|Revolutionary Guard|Revolutionary Guard Corps|Islamic Revolutionary Guard Corps) (commander|chief|commander-in-chief)',
        '(commander|commander-in-chief|commander in chief|chief|head) of (the |Iran\'s |)(IRGC|Revolutionary Guards|Revolutionary Guard|Revolutionary Guard Corps|Islamic Revolutionary Guard Corps)',
      ],
      fr: [
        '(commandant|commandant en chef|chef) (du CGRI|des Gardiens de la révolution|des pasdaran|du Corps des gardiens de la révolution islamique)',
      ],
      ar: [
        '(قائد|القائد العام) (للحرس الثوري|الحرس الثوري|حرس الثورة الإسلامية|لحرس الثورة الإسلامية|قوات الحرس الثوري)( الإيراني|)',
      ],
    },
    notFollowedBy: [
      'navy', 'naval', 'aerospace', 'air', 'quds', 'qods', 'ground', 'intelligence', 'in',
      'marine', 'aerospatiale', 'force', 'forces', 'terrestre', 'al', 'dans', 'pour',
      'البحريه', 'الجوفضائيه', 'الجويه', 'البريه', 'في', 'لمحافظه',
    ],
  },
  {
    key: 'quds-force-commander',
    offices: { none: 'ir.quds-force-commander' },
    patterns: {
      en: [
        "(IRGC |IRGC's |Revolutionary Guards' |)(Quds|Qods) Force (commander|chief)",
        "(commander|head|chief) of the (IRGC |IRGC's |Revolutionary Guards' |)(Quds|Qods) Force",
      ],
      fr: ['(commandant|chef) de la force (Al-Qods|Qods|Quds)( du CGRI|)'],
      ar: ['قائد فيلق القدس( في الحرس الثوري| التابع للحرس الثوري|)'],
    },
  },
  {
    key: 'irgc-navy-commander',
    offices: { none: 'ir.irgc-navy-commander' },
    patterns: {
      en: [
        "(IRGC|IRGC's|Revolutionary Guards) (Navy|naval) (commander|chief)",
        "commander of the (IRGC|IRGC's|Revolutionary Guards') (Navy|naval forces|naval force)",
      ],
      fr: ['commandant de la (marine|force navale) (du CGRI|des Gardiens de la révolution)'],
      ar: ['قائد (القوة البحرية|بحرية) (للحرس الثوري|الحرس الثوري|في الحرس الثوري)'],
    },
  },
  {
    key: 'irgc-aerospace-commander',
    offices: { none: 'ir.irgc-aerospace-commander' },
    patterns: {
      en: [
        "(IRGC|IRGC's|Revolutionary Guards) (Aerospace Force|aerospace) (commander|chief)",
        "commander of the (IRGC|IRGC's|Revolutionary Guards') (Aerospace Force|aerospace division|aerospace forces)",
      ],
      fr: ['commandant de la force aérospatiale (du CGRI|des Gardiens de la révolution)'],
      ar: ['قائد (القوة الجوفضائية|القوة الجوية الفضائية|القوة الجو فضائية) (للحرس الثوري|الحرس الثوري|في الحرس الثوري)'],
    },
  },
  {
    key: 'army-commander',
    offices: { ir: 'ir.army-commander' },
    patterns: {
      en: ['{A} army commander(-in-chief|)', 'commander(-in-chief| in chief|) of the {A} army', 'commander(-in-chief| in chief|) of {P} army'],
      fr: ["commandant (en chef |)de l'armée {F}"],
      ar: ['(قائد|القائد العام) (للجيش|الجيش) {am}'],
    },
  },
  {
    key: 'navy-commander',
    offices: { ir: 'ir.navy-commander', cn: 'cn.navy-commander', ru: 'ru.navy-commander' },
    patterns: {
      en: ['{C} (navy|naval) (commander|chief|commander-in-chief)', 'commander(-in-chief| in chief|) of the {A} navy', 'commander(-in-chief| in chief|) of {P} navy'],
      fr: ['commandant (en chef |)de la marine {F}'],
      ar: ['قائد (البحرية|القوة البحرية|القوات البحرية) ({af}|للجيش {am}|في {an})'],
    },
  },
  {
    key: 'plan-commander',
    offices: { none: 'cn.navy-commander' },
    patterns: {
      en: ['(PLA Navy|PLAN) commander', 'commander of the (PLA Navy|PLAN|People\'s Liberation Army Navy)'],
      fr: ["commandant de la marine de l'Armée populaire de libération"],
      ar: ['قائد بحرية جيش التحرير الشعبي( الصيني|)'],
    },
  },
  {
    key: 'snsc-secretary',
    offices: { none: 'ir.snsc-secretary' },
    patterns: {
      en: [
        "secretary of (the |Iran's |)Supreme National Security Council",
        "(Iran's |Iranian |)(Supreme National Security Council|SNSC) secretary",
      ],
      fr: ['secrétaire (général |)du Conseil suprême de (la |)sécurité nationale( iranien|)'],
      ar: ['(أمين|الأمين العام|أمين عام|امين) (المجلس الأعلى للأمن القومي|للمجلس الأعلى للأمن القومي)( الإيراني|)'],
    },
  },
  {
    key: 'security-council-secretary',
    offices: { ru: 'ru.security-council-secretary' },
    patterns: {
      en: ['secretary of {P} Security Council', 'secretary of the {A} Security Council', '{A} Security Council secretary', 'secretary of the Security Council of {OF}'],
      fr: ['secrétaire du Conseil de sécurité {M}', 'secrétaire du Conseil de sécurité {DE}'],
      ar: ['(أمين|سكرتير) مجلس الأمن {am}', '(أمين|سكرتير) مجلس الأمن القومي {am}'],
    },
  },
  {
    key: 'sco-secretary-general',
    offices: { none: 'sco.secretary-general' },
    patterns: {
      en: [
        'SCO secretary(-| )general',
        'secretary(-| )general of the (SCO|Shanghai Cooperation Organisation|Shanghai Cooperation Organization)',
      ],
      fr: ["secrétaire général de l'(OCS|Organisation de coopération de Shanghai)"],
      ar: ['(الأمين العام|أمين عام) (لمنظمة شنغهاي للتعاون|منظمة شنغهاي للتعاون|لمنظمة شنغهاي|منظمة شنغهاي)'],
    },
  },
  {
    key: 'iaea-director-general',
    offices: { none: 'iaea.director-general' },
    patterns: {
      en: [
        'IAEA (director(-| )general|chief|head)',
        '(director(-| )general|head|chief) of the (IAEA|International Atomic Energy Agency)',
      ],
      fr: ["(directeur général|chef|patron) de l'(AIEA|Agence internationale de l'énergie atomique)"],
      ar: [
        '(المدير العام|مدير عام|رئيس) (للوكالة الدولية للطاقة الذرية|الوكالة الدولية للطاقة الذرية|وكالة الطاقة الذرية|لوكالة الطاقة الذرية)',
      ],
    },
  },
  {
    key: 'un-secretary-general',
    offices: { none: 'un.secretary-general' },
    patterns: {
      en: [
        '(UN|U.N.|United Nations) (secretary(-| )general|chief)',
        'secretary(-| )general of the (UN|U.N.|United Nations)',
      ],
      fr: ["secrétaire général (de l'ONU|des Nations unies)", "patron de l'ONU"],
      ar: ['(الأمين العام|أمين عام) (للأمم المتحدة|الأمم المتحدة)'],
    },
  },
];

/**
 * Words that, right before the phrase, make it another office: a deputy, an adviser ("deputy
 * defence minister of China", "vice-président iranien", "نائب وزير الدفاع").
 */
export const NOT_AFTER: string[] = [
  'vice', 'deputy', 'assistant', 'adviser', 'advisor', 'spokesman', 'spokesperson', 'spokeswoman',
  'adjoint', 'conseiller', 'conseillere', 'porte', 'parole', 'sous',
  'نائب', 'مساعد', 'معاون', 'مستشار', 'متحدث', 'المتحدث', 'الناطق', 'ناطق', 'باسم',
];

/**
 * "At that time" markers: the phrase refers to the holder at the time of the events told, so a year
 * in the sentence is used. `before` markers precede the phrase (or sit inside it: "China's then
 * defence minister"), `after` ones follow it.
 */
export const THEN_MARKERS: Record<'before' | 'after', string[]> = {
  before: ['then', 'the then', 'alors', "l'alors"],
  after: [
    'at the time', 'at that time', "de l'époque", "à l'époque", "d'alors", 'de cette époque',
    'آنذاك', 'انذاك', 'حينذاك', 'حينها', 'وقتها', 'في ذلك الوقت', 'في حينه', 'في تلك الفترة',
  ],
};

/** "Former" markers: not the holder at the article's date. */
export const FORMER_MARKERS: Record<'before' | 'after', string[]> = {
  before: ['former', 'ex', 'late', 'ancien', 'ancienne', 'défunt', 'feu', 'previous', 'outgoing'],
  after: ['السابق', 'السابقة', 'الأسبق', 'الأسبقة', 'الراحل', 'الراحلة', 'سابقا'],
};

/** Marker words allowed inside a phrase: "China's then defence minister", "Russia's former defence chief". */
export const INNER_MARKERS: Record<'then' | 'former', string[]> = {
  then: ['then'],
  former: ['former', 'ex', 'late', 'ancien', 'previous'],
};

/**
 * Ranks and honorifics that may stand between an office and the name in apposition
 * ("Chinese defence minister General Chang Wanquan", "le général de brigade Mohammad-Reza Ashtiani",
 * "اللواء محمد باقري", "الفريق "تشانغ وانغ تشون"").
 */
export const APPOSITION_FILLERS: string[] = [
  'the', 'le', 'la', 'l', 'mr', 'mrs', 'ms', 'dr', 'm', 'mme', 'his', 'her', 'excellency',
  'general', 'gen', 'major', 'maj', 'lieutenant', 'lt', 'brigadier', 'brig', 'colonel', 'col', 'admiral', 'adm',
  'rear', 'vice', 'capt', 'cdr',
  'army', 'second', 'rank', 'captain', 'commodore', 'marshal', 'air',
  'general', 'général', 'generale', 'de', 'brigade', 'division', 'corps', 'd', 'armee', 'amiral', 'contre', 'colonel',
  'maréchal', 'pasdar', 'sardar', 'ayatollah', 'hojatoleslam', 'sheikh',
  'اللواء', 'الفريق', 'اول', 'العميد', 'العقيد', 'الادميرال', 'الاميرال', 'الجنرال', 'العماد', 'السيد', 'الدكتور',
  'المشير', 'اللواء الركن', 'الركن', 'بحري', 'طيار', 'الحاج', 'اية', 'الله', 'اللواء البحري', 'اللواء الطيار',
];
