import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import { ApiContext, windowApi } from './api';
import { App } from './components/App';
import { createI18n, pickLanguage, savedLanguage } from './i18n';
import './styles.css';

const i18n = createI18n(pickLanguage(navigator.languages, savedLanguage()));
const root = document.getElementById('root');
const api = windowApi();

if (root && api) {
  createRoot(root).render(
    <StrictMode>
      <I18nextProvider i18n={i18n}>
        <ApiContext value={api}>
          <App />
        </ApiContext>
      </I18nextProvider>
    </StrictMode>,
  );
} else if (root) {
  root.textContent = 'AliCloud Sign-in could not reach the app (no bridge). Start it from the desktop app.';
}
