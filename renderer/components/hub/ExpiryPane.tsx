import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/contract';
import { useApi } from '../../api';
import { relativeTime } from '../../format';
import { useHubResult } from '../../state/useHubResult';
import { ErrorMessage } from '../ErrorMessage';
import { StatusMark } from '../StatusMark';
import { dateTime } from './when';

/**
 * Every profile with its sign-in (refresh token) and STS expiry, soonest first, and the tray's
 * warnings repeated. Asked again when the profiles change (a sign-in, a refresh) or the language.
 */
export function ExpiryPane({ profiles, now }: { profiles: readonly ProfileView[]; now: number }) {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const language = i18n.language === 'zh-CN' ? 'zh-CN' : 'en';
  // What the rows depend on: a change to any of them asks main again.
  const version = profiles
    .map((p) => `${p.id}:${p.status}:${p.refreshTokenExpiresAt ?? ''}:${p.accessTokenExpiresAt ?? ''}`)
    .join('|');
  const load = useCallback(() => api.expiryOverview(language), [api, language]);
  const { state, reload } = useHubResult(load, `${language}|${version}`);
  const byId = new Map(profiles.map((p) => [p.id, p]));
  const when = (iso: string | null) =>
    iso ? (
      <time dateTime={iso} title={dateTime(iso, i18n.language)}>
        {relativeTime(Date.parse(iso) - now, i18n.language)}
      </time>
    ) : (
      t('hub.expiry.never')
    );

  return (
    <section className="hub-pane expiry-pane" aria-labelledby="expiry-heading">
      <div className="pane-head">
        <h2 id="expiry-heading">{t('hub.expiry.heading')}</h2>
        <button type="button" onClick={() => void reload()}>
          {t('hub.refresh')}
        </button>
      </div>
      {state.status === 'loading' ? <p className="muted">{t('hub.loading')}</p> : null}
      {state.status === 'failed' ? <ErrorMessage error={state.error} /> : null}
      {state.status === 'loaded' ? (
        <table className="expiry-table" aria-label={t('hub.expiry.tableLabel')}>
          <thead>
            <tr>
              {(['profile', 'status', 'signIn', 'sts', 'warnings'] as const).map((column) => (
                <th key={column} scope="col">
                  {t(`hub.expiry.columns.${column}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {state.value.rows.map((row) => {
              const profile = byId.get(row.profileId);
              return (
                <tr key={row.profileId} data-profile={row.name}>
                  <th scope="row">{row.name}</th>
                  <td>{profile ? <StatusMark profile={profile} now={now} withWord /> : row.status}</td>
                  <td>
                    {row.role && !row.refreshTokenExpiresAt ? t('hub.expiry.role') : when(row.refreshTokenExpiresAt)}
                  </td>
                  <td>{when(row.stsExpiresAt)}</td>
                  <td className="warnings">
                    {row.warnings.length === 0 ? (
                      <span className="muted">{t('hub.expiry.noWarnings')}</span>
                    ) : (
                      row.warnings.map((warning) => (
                        <p key={warning} className="warn-word">
                          {warning}
                        </p>
                      ))
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
