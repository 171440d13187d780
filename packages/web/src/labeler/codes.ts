// ISO 3166-1 alpha-2 countries and ISO 639-1 languages (current codes only), named in the browser's language
// by Intl.DisplayNames so the list costs a few hundred bytes instead of a translation table.

const COUNTRY_CODES = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS ' +
  'BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE ' +
  'EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM ' +
  'HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC ' +
  'LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA ' +
  'NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW ' +
  'SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO ' +
  'TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW'
).split(' ');

const LANGUAGE_CODES = (
  'aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da ' +
  'de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ' +
  'ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln ' +
  'lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi ' +
  'pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti ' +
  'tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu'
).split(' ');

export interface CodeOption {
  code: string;
  name: string;
}

function named(codes: string[], type: 'region' | 'language'): CodeOption[] {
  let names: Intl.DisplayNames | undefined;
  try {
    names = new Intl.DisplayNames(
      typeof navigator === 'undefined' ? ['en'] : [...navigator.languages, 'en'],
      { type },
    );
  } catch {
    names = undefined;
  }
  return codes
    .map((code) => ({ code, name: names?.of(code) ?? code }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export const countryOptions = (): CodeOption[] => named(COUNTRY_CODES, 'region');
export const languageOptions = (): CodeOption[] => named(LANGUAGE_CODES, 'language');

/** Best guesses from the browser: `en-US` → language `en`, country `US`. */
export function guessFromBrowser(): { country: string; language: string } {
  const tag = typeof navigator === 'undefined' ? 'en' : (navigator.language ?? 'en');
  const [lang, ...rest] = tag.split('-');
  const region = rest.find((p) => /^[A-Z]{2}$/i.test(p))?.toUpperCase() ?? '';
  const language = (lang ?? '').toLowerCase();
  return {
    country: COUNTRY_CODES.includes(region) ? region : '',
    language: LANGUAGE_CODES.includes(language) ? language : '',
  };
}

export const AGE_GROUPS = ['0-17', '18-29', '30-39', '40-49', '50-64', '65+'];
export const GENDERS = ['Female', 'Male', 'Other'];
