import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../shared/contract';
import { isMac } from '../format';

interface TopBarProps {
  active: ProfileView | undefined;
  onQuickSwitch: () => void;
  onToggleLanguage: () => void;
}

export function TopBar({ active, onQuickSwitch, onToggleLanguage }: TopBarProps) {
  const { t, i18n } = useTranslation();
  const keys = isMac() ? '⌘K' : 'Ctrl+K';
  return (
    <header className="top-bar">
      {/* The window's one level-one heading (panes and sheets are level two). */}
      <h1 className="app-title">{t('app.title')}</h1>
      {active ? (
        <button
          type="button"
          className="active-switch"
          onClick={onQuickSwitch}
          title={t('app.quickSwitch', { keys })}
          aria-keyshortcuts={isMac() ? 'Meta+K' : 'Control+K'}
        >
          <span className="active-name">{active.name}</span>
          <span className="site-tag">{active.demo ? t('sites.demo') : t(`sites.${active.site}`)}</span>
          <span aria-hidden="true"> ▾</span>
        </button>
      ) : null}
      <span className="spacer" />
      {/* Named in the language it switches to (its reader may not read this one); the name holds
          the word it shows, so speech users can say what they see. */}
      <button
        type="button"
        className="language"
        lang={i18n.language === 'zh-CN' ? 'en' : 'zh-CN'}
        onClick={onToggleLanguage}
        aria-label={t('app.switchLanguage')}
        title={t('app.switchLanguage')}
      >
        {t('app.otherLanguage')}
      </button>
    </header>
  );
}
