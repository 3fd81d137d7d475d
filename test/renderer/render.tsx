import { render } from '@testing-library/react';
import { I18nextProvider } from 'react-i18next';
import { ApiContext } from '../../renderer/api';
import { App } from '../../renderer/components/App';
import { createI18n, type Language } from '../../renderer/i18n';
import { FakeApp } from './fake-api';

/** Renders the whole window against a FakeApp, in one language. */
export function renderApp(app = new FakeApp(), language: Language = 'en') {
  const i18n = createI18n(language);
  const view = render(
    <I18nextProvider i18n={i18n}>
      <ApiContext value={app.api}>
        <App />
      </ApiContext>
    </I18nextProvider>,
  );
  return { app, i18n, ...view };
}
