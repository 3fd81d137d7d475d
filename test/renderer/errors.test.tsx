// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { afterEach, describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../shared/errors';
import { ErrorMessage } from '../../renderer/components/ErrorMessage';
import { createI18n, type Language } from '../../renderer/i18n';
import { errorsEn, errorsZh } from '../../renderer/i18n/errors';

afterEach(cleanup);

function renderError(code: (typeof ERROR_CODES)[number], language: Language) {
  render(
    <I18nextProvider i18n={createI18n(language)}>
      <ErrorMessage error={{ code, message: `details for ${code}` }} />
    </I18nextProvider>,
  );
  return screen.getByRole('alert');
}

// That every code has words in both languages is a type (ErrorWords = Record<ErrorCode, string>).
describe('a failure shown in the window', () => {
  it('reads the words of its code in the page’s language, with the code and main’s details in small type', () => {
    for (const [language, words] of [
      ['en', errorsEn],
      ['zh-CN', errorsZh],
    ] as const) {
      const alert = renderError('STORE_LOCKED', language);
      // The i18n wiring (the `errors.` namespace) finds the sentence, not the key it looked up.
      expect(alert.querySelector('.error-words')?.textContent).toBe(words.STORE_LOCKED);
      expect(alert.querySelector('.error-code')?.textContent).toContain('STORE_LOCKED');
      expect(alert.textContent).toContain('details for STORE_LOCKED');
      cleanup();
    }
  });

  it('has Chinese words for every code, not the English ones copied', () => {
    const untranslated = ERROR_CODES.filter(
      (code) => errorsZh[code] === errorsEn[code] || !/[\u4e00-\u9fff]/.test(errorsZh[code]),
    );
    expect(untranslated).toEqual([]);
  });
});
