import { useTranslation } from 'react-i18next';

export type FirstRunChoice = 'cn' | 'intl' | 'demo';

/** No profiles yet: one sentence and three buttons, nothing else. */
export function FirstRun({ onChoose }: { onChoose: (choice: FirstRunChoice) => void }) {
  const { t } = useTranslation();
  return (
    <main className="first-run" aria-labelledby="first-run-title">
      <h2 id="first-run-title" className="visually-hidden">
        {t('firstRun.heading')}
      </h2>
      <p className="first-run-sentence">{t('firstRun.sentence')}</p>
      <div className="first-run-buttons">
        <button type="button" className="primary" onClick={() => onChoose('cn')}>
          {t('firstRun.cn')}
        </button>
        <button type="button" className="primary" onClick={() => onChoose('intl')}>
          {t('firstRun.intl')}
        </button>
        <button type="button" onClick={() => onChoose('demo')}>
          {t('firstRun.demo')}
        </button>
      </div>
    </main>
  );
}
