import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BrokerStatusView, ProfileView } from '../../../shared/contract';
import { useHubBroker } from '../../state/useHubBroker';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';
import { dateTime } from './when';

/** The broker's state in one line (the status bar's words). */
function useBrokerLine(broker: BrokerStatusView | null): string | null {
  const { t } = useTranslation();
  if (broker?.state === 'serving') return t('broker.serving', { port: broker.port });
  if (broker?.state === 'attached')
    return t('broker.attached', {
      pid: broker.pid,
      by: t(broker.startedBy === 'cli' ? 'broker.byCli' : 'broker.byApp'),
    });
  if (broker?.state === 'failed') return t('broker.failed', { code: broker.error.code });
  if (broker?.state === 'starting' || broker?.state === 'stopped') return t(`broker.${broker.state}`);
  return null;
}

/** One profile as the broker serves it: on or off, its CredentialsURI (shown only on request), rotation, the last use. */
export function BrokerPane({ profile }: { profile: ProfileView }) {
  const { t, i18n } = useTranslation();
  const hub = useHubBroker(profile.id);
  const line = useBrokerLine(hub.broker);
  const [rotating, setRotating] = useState(false);
  const view = hub.state.status === 'loaded' ? hub.state.value : null;
  const at = (iso: string) => dateTime(iso, i18n.language);

  return (
    <section className="hub-pane broker-pane" aria-labelledby="broker-heading">
      <div className="pane-head">
        <h2 id="broker-heading">{t('hub.broker.heading')}</h2>
        {line ? (
          <span className="muted small broker-state" data-state={hub.broker?.state}>
            {line}
          </span>
        ) : null}
      </div>
      {hub.state.status === 'loading' ? <p className="muted">{t('hub.loading')}</p> : null}
      {hub.state.status === 'failed' ? <ErrorMessage error={hub.state.error} /> : null}
      {view ? (
        <>
          <label className="switch-row">
            <input
              type="checkbox"
              role="switch"
              checked={view.enabled}
              disabled={hub.busy}
              aria-describedby="broker-serve-hint"
              onChange={(event) => void hub.setEnabled(event.target.checked)}
            />{' '}
            {t('hub.broker.serve')}
          </label>
          <p id="broker-serve-hint" className="hint small">
            {t('hub.broker.serveHint')}
          </p>
          <div className="field">
            <label htmlFor="broker-url">{t('hub.broker.url')}</label>
            <div className="url-row">
              <input
                id="broker-url"
                className="url"
                readOnly
                value={hub.url ?? view.maskedUrl ?? t('hub.broker.noUrl')}
                data-revealed={hub.url ? 'true' : 'false'}
                aria-describedby="broker-url-note"
              />
              {hub.url ? (
                <button type="button" onClick={hub.hide}>
                  {t('hub.broker.hide')}
                </button>
              ) : (
                <button type="button" disabled={hub.busy} onClick={() => void hub.show()}>
                  {t('hub.broker.show')}
                </button>
              )}
              <button type="button" disabled={hub.busy} onClick={() => void hub.copy()}>
                {hub.copied ? t('hub.broker.copied') : t('signIn.copy')}
                <span className="visually-hidden"> {t('hub.broker.copyWhat')}</span>
              </button>
              <button type="button" disabled={hub.busy} onClick={() => setRotating(true)}>
                {t('hub.broker.rotate')}
              </button>
            </div>
            <p id="broker-url-note" className="hint small">
              {t('hub.broker.secretNote')}
            </p>
          </div>
          <p className="last-use" data-testid="broker-last-use">
            {view.lastServed
              ? t('hub.broker.lastServed', {
                  time: at(view.lastServed.last ?? view.lastServed.time),
                  mode: t(`hub.broker.modes.${view.lastServed.mode}`),
                  count: view.servedToday,
                })
              : t('hub.broker.neverServed')}
          </p>
          {view.lastProblem ? (
            <p className="last-problem small">
              {t('hub.broker.lastProblem', {
                time: at(view.lastProblem.time),
                reason: view.lastProblem.reason ?? t(`hub.audit.outcomes.${view.lastProblem.outcome}`),
              })}
            </p>
          ) : null}
          {hub.relinked ? (
            <p className="notice" role="status">
              {t('hub.broker.rotated')}
              {hub.relinked.length > 0 ? ` ${t('hub.broker.relinked', { names: hub.relinked.join(', ') })}` : ''}
            </p>
          ) : null}
        </>
      ) : null}
      {hub.failure && !rotating ? <ErrorMessage error={hub.failure} /> : null}
      {rotating ? (
        <Modal labelledBy="rotate-title" onClose={() => setRotating(false)} className="confirm">
          <h2 id="rotate-title">{t('hub.broker.rotateTitle', { name: profile.name })}</h2>
          <p>{t('hub.broker.rotateBody')}</p>
          {hub.failure ? <ErrorMessage error={hub.failure} /> : null}
          <div className="actions">
            <button type="button" onClick={() => setRotating(false)} data-autofocus>
              {t('hub.broker.rotateCancel')}
            </button>
            <button
              type="button"
              className="danger"
              disabled={hub.busy}
              onClick={() => void hub.rotate().then((done) => done && setRotating(false))}
            >
              {t('hub.broker.rotateConfirm')}
            </button>
          </div>
        </Modal>
      ) : null}
    </section>
  );
}
