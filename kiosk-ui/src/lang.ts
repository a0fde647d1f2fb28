/**
 * The kiosk's two languages: Chinese first by default, English when the citizen taps the toggle
 * (issue 13 item 5); the other language stays as the smaller second line.
 */
export type Lang = 'zh' | 'en';

export interface Bilingual {
  zh: string;
  en: string;
}

/** The main line and the second line of a text in the chosen language. */
export function lines(text: Bilingual, lang: Lang): { main: string; second: string; mainLang: string; secondLang: string } {
  return lang === 'en'
    ? { main: text.en, second: text.zh, mainLang: 'en', secondLang: 'zh-CN' }
    : { main: text.zh, second: text.en, mainLang: 'zh-CN', secondLang: 'en' };
}
