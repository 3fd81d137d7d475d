// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { ErrorMessage } from '../../renderer/components/ErrorMessage';
import { createI18n, LANGUAGES, type Language } from '../../renderer/i18n';
import { errorsEn, errorsZh } from '../../renderer/i18n/errors';

afterEach(cleanup);

const WORDS = { en: errorsEn, 'zh-CN': errorsZh } as const;

function renderError(code: (typeof ERROR_CODES)[number], language: Language) {
  render(
    <I18nextProvider i18n={createI18n(language)}>
      <ErrorMessage error={{ code, message: `details for ${code}` }} />
    </I18nextProvider>,
  );
  return screen.getByRole('alert');
}

describe('every failure code has plain words', () => {
  for (const language of LANGUAGES) {
    for (const code of ERROR_CODES) {
      it(`${code} in ${language}`, () => {
        const alert = renderError(code, language);
        const words = alert.querySelector('.error-words')?.textContent ?? '';
        expect(words).toBe(WORDS[language][code]);
        expect(words).not.toContain(code);
        expect(words.length).toBeGreaterThan(4);
        expect(alert.textContent).toContain(code);
        expect(alert.textContent).toContain(`details for ${code}`);
      });
    }
  }

  it('has words for exactly the codes main can send, different in each language', () => {
    expect(Object.keys(errorsEn).sort()).toEqual([...ERROR_CODES].sort());
    expect(Object.keys(errorsZh).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(errorsZh[code]).not.toBe(errorsEn[code]);
      expect(errorsZh[code]).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
