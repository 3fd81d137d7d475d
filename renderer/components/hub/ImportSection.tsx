import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportDone, ProfileView, WireError } from '../../../shared/contract';
import { useApi } from '../../api';
import { useHubResult } from '../../state/useHubResult';
import { ErrorMessage } from '../ErrorMessage';

/** "Import from aliyun CLI": the OAuth profiles found, what will change for each, one Import (scrubbing by default). */
export function ImportSection({ profiles }: { profiles: readonly ProfileView[] }) {
  const api = useApi();
  const { t } = useTranslation();
  /** '' : the site the CLI's file names (CN or INTL); else a profile whose site and application to use. */
  const [like, setLike] = useState('');
  const load = useCallback(() => api.previewCliImport(like === '' ? undefined : like), [api, like]);
  const { state, reload } = useHubResult(load, `import:${like}`);
  const [keep, setKeep] = useState(false);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ImportDone | null>(null);
  const [failure, setFailure] = useState<WireError | null>(null);
  const preview = state.status === 'loaded' ? state.value : null;
  const actionable = preview?.items.some((i) => i.outcome !== 'skipped') ?? false;
  const likeName = like === '' ? undefined : profiles.find((p) => p.id === like)?.name;

  const run = async () => {
    setBusy(true);
    const result = await api.importFromCli({ keepCliTokens: keep, ...(like === '' ? {} : { like }) });
    setBusy(false);
    setFailure(result.ok ? null : result.error);
    if (result.ok) setDone(result.value);
    void reload();
  };

  return (
    <section className="import-section" aria-labelledby="import-heading">
      <div className="pane-head">
        <h2 id="import-heading">{t('hub.import.heading')}</h2>
        <button type="button" onClick={() => void reload()}>
          {t('hub.import.look')}
        </button>
      </div>
      <p className="small">{t('hub.import.intro')}</p>
      <label className="field">
        {t('hub.import.like')}
        <select value={like} onChange={(event) => setLike(event.target.value)}>
          <option value="">{t('hub.import.likeFile')}</option>
          {profiles
            .filter((p) => !p.role)
            .map((p) => (
              <option key={p.id} value={p.id}>
                {t('hub.import.likeProfile', { name: p.name })}
              </option>
            ))}
        </select>
      </label>
      {state.status === 'loading' ? <p className="muted">{t('hub.loading')}</p> : null}
      {state.status === 'failed' ? <ErrorMessage error={state.error} /> : null}
      {preview && preview.items.length === 0 ? (
        <p className="muted">{t('hub.import.none', { path: preview.configPath })}</p>
      ) : null}
      {preview && preview.items.length > 0 ? (
        <ul className="import-items" aria-label={t('hub.import.listLabel')} data-testid="import-preview">
          {preview.items.map((item) => (
            <li key={item.cliProfile} data-outcome={item.outcome}>
              {item.outcome === 'import'
                ? t('hub.import.becomes', {
                    cli: item.cliProfile,
                    name: item.profile,
                    site: likeName ? t('hub.import.likeProfile', { name: likeName }) : t(`sites.${item.site ?? 'cn'}`),
                  })
                : item.outcome === 'already-imported'
                  ? t('hub.import.already', { cli: item.cliProfile, name: item.profile })
                  : t('hub.import.skipped', {
                      cli: item.cliProfile,
                      reason: t(`hub.import.reasons.${item.reason ?? 'no-token'}`),
                    })}
              {item.outcome !== 'skipped' ? (
                <ul className="small">
                  {item.outcome === 'import' ? <li>{t('hub.import.moveToken')}</li> : null}
                  <li>{keep ? t('hub.import.keep') : t('hub.import.scrub')}</li>
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {actionable ? (
        <>
          <label className="switch-row">
            <input
              type="checkbox"
              checked={keep}
              onChange={(event) => setKeep(event.target.checked)}
              aria-describedby={keep ? 'import-keep-warning' : undefined}
            />{' '}
            {t('hub.import.keepBox')}
          </label>
          {keep ? (
            <p id="import-keep-warning" className="warn-word small">
              {t('hub.import.keepWarning')}
            </p>
          ) : null}
          <div className="actions start">
            <button type="button" className="primary" disabled={busy} onClick={() => void run()}>
              {t('hub.import.run')}
            </button>
          </div>
        </>
      ) : null}
      {failure ? <ErrorMessage error={failure} /> : null}
      {done ? <ImportResults done={done} /> : null}
    </section>
  );
}

function ImportResults({ done }: { done: ImportDone }) {
  const { t } = useTranslation();
  return (
    <div className="notice" role="status" data-testid="import-results">
      <h3>{t('hub.import.results')}</h3>
      <ul>
        {done.items.map((item) => (
          <li key={item.cliProfile} data-outcome={item.outcome}>
            {item.outcome === 'imported'
              ? t('hub.import.imported', { cli: item.cliProfile, name: item.profile })
              : item.outcome === 'already-imported'
                ? t('hub.import.alreadyDone', { cli: item.cliProfile, name: item.profile })
                : item.outcome === 'failed'
                  ? t('hub.import.failed', { cli: item.cliProfile })
                  : t('hub.import.skippedDone', { cli: item.cliProfile })}
            {item.error ? <ErrorMessage error={item.error} /> : null}
          </li>
        ))}
      </ul>
      {done.scrubbed.length > 0 ? (
        <p className="small">{t('hub.import.scrubbed', { names: done.scrubbed.map((n) => `“${n}”`).join(', ') })}</p>
      ) : null}
      {done.backup ? <p className="small muted">{t('hub.import.backup', { path: done.backup })}</p> : null}
    </div>
  );
}
