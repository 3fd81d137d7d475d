import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoInfo, ProfileView } from '../../shared/contract';
import { useApi } from '../api';
import { clock } from '../format';
import type { SignInSheetState } from '../state/useSignIn';
import { CopyButton } from './CopyButton';
import { ErrorMessage } from './ErrorMessage';
import { Modal } from './Modal';

interface SignInSheetProps {
  sheet: SignInSheetState;
  profile: ProfileView | undefined;
  demo: DemoInfo | undefined;
  onCancel: () => void;
  onRetry: () => void;
}

/** Time left to the deadline, ticking each second (mounted per deadline, so it starts true). */
function Countdown({ deadline }: { deadline: number }) {
  const { t } = useTranslation();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <p className="countdown" role="timer" aria-live="off">
      {t('signIn.left', { time: clock(deadline - now) })}
    </p>
  );
}

/** A sign-in under way: the URL to copy, a countdown, cancel; on failure, plain words and Try again. */
export function SignInSheet({ sheet, profile, demo, onCancel, onRetry }: SignInSheetProps) {
  const { t } = useTranslation();
  const api = useApi();
  const name = profile?.name ?? '';
  return (
    <Modal labelledBy="signin-title" onClose={onCancel} className="signin-sheet">
      <h2 id="signin-title">{t('signIn.title', { name })}</h2>
      {sheet.phase === 'starting' ? <p role="status">{t('signIn.starting')}</p> : null}
      {sheet.phase === 'waiting' ? (
        <>
          <p role="status">{sheet.browserOpened ? t('signIn.continue') : t('signIn.noBrowser')}</p>
          {sheet.browserOpened ? <p className="small">{t('signIn.otherBrowser')}</p> : null}
          <div className="url-row">
            <input
              className="url"
              readOnly
              aria-label={t('signIn.urlLabel')}
              value={sheet.url}
              onFocus={(event) => event.target.select()}
            />
            <CopyButton text={sheet.url} what={t('signIn.urlWhat')} />
          </div>
          <Countdown key={sheet.deadline} deadline={sheet.deadline} />
          {profile?.demo && demo ? (
            <p className="demo-note small">
              {t('signIn.demoHint', { login: demo.logins[0] ?? 'alice', password: demo.password })}
            </p>
          ) : null}
        </>
      ) : null}
      {sheet.phase === 'exchanging' ? <p role="status">{t('signIn.exchanging')}</p> : null}
      {sheet.phase === 'failed' ? <ErrorMessage error={sheet.error} title={t('signIn.failed')} /> : null}
      <div className="actions">
        {sheet.phase === 'waiting' ? (
          <button type="button" onClick={() => void api.openSignInPage(sheet.profileId)}>
            {t('signIn.openAgain')}
          </button>
        ) : null}
        {sheet.phase === 'failed' ? (
          <>
            <button type="button" onClick={onCancel}>
              {t('signIn.close')}
            </button>
            <button type="button" className="primary" onClick={onRetry} data-autofocus>
              {t('signIn.tryAgain')}
            </button>
          </>
        ) : (
          <button type="button" onClick={onCancel} data-autofocus>
            {t('signIn.cancel')}
          </button>
        )}
      </div>
    </Modal>
  );
}
