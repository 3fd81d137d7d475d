import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppSettings, BrokerStatusView, WireError } from '../../shared/contract';
import { useApi } from '../api';

/** The foot of the window: where the credential broker runs, and "Start at login". */
export function StatusBar() {
  const api = useApi();
  const { t } = useTranslation();
  const [broker, setBroker] = useState<BrokerStatusView | null>(null);
  const [settings, setSettings] = useState<AppSettings | null>(null);
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<WireError | null>(null);

  useEffect(() => {
    let live = true;
    const stop = api.onBrokerChanged((view) => setBroker(view));
    // An event that arrived first is newer than this answer.
    void api.brokerStatus().then((result) => live && result.ok && setBroker((current) => current ?? result.value));
    void api.appSettings().then((result) => live && result.ok && setSettings(result.value));
    return () => {
      live = false;
      stop();
    };
  }, [api]);

  const toggle = async (on: boolean) => {
    setSaving(true);
    const result = await api.setStartAtLogin(on);
    setSaving(false);
    setFailure(result.ok ? null : result.error);
    if (result.ok) setSettings(result.value);
  };

  let line: string | null = null;
  if (broker?.state === 'serving') line = t('broker.serving', { port: broker.port });
  else if (broker?.state === 'attached')
    line = t('broker.attached', {
      pid: broker.pid,
      by: t(broker.startedBy === 'cli' ? 'broker.byCli' : 'broker.byApp'),
    });
  else if (broker?.state === 'failed') line = t('broker.failed', { code: broker.error.code });
  else if (broker?.state === 'starting' || broker?.state === 'stopped') line = t(`broker.${broker.state}`);

  // Nothing to say (a backend with no broker, an OS with no login items): no bar at all.
  if (!line && !failure && !settings?.startAtLoginSupported) return null;
  return (
    <footer className="status-bar small">
      {line ? (
        <span
          role="status"
          className="broker-line"
          data-state={broker?.state}
          title={broker?.state === 'failed' ? broker.error.message : undefined}
        >
          {line}
        </span>
      ) : null}
      <span className="spacer" />
      {failure ? (
        <span role="alert" className="field-error" title={failure.message} data-code={failure.code}>
          {t(`errors.${failure.code}`)}
        </span>
      ) : null}
      {settings?.startAtLoginSupported ? (
        <label className="start-at-login" title={t('settings.startAtLoginHint')}>
          <input
            type="checkbox"
            checked={settings.startAtLogin}
            disabled={saving}
            onChange={(event) => void toggle(event.target.checked)}
          />{' '}
          {t('settings.startAtLogin')}
        </label>
      ) : null}
    </footer>
  );
}
