import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../shared/contract';
import { statusMark } from '../../shared/status';
import { identityName, relativeTime } from '../format';
import { CopyButton } from './CopyButton';
import { StatusMark } from './StatusMark';

interface ProfileDetailsProps {
  profile: ProfileView;
  now: number;
  notice: string | null;
  onSignIn: () => void;
  onSignOut: () => void;
  onEdit: () => void;
  onRemove: () => void;
  /** More buttons for the head (the hub's Console). */
  actions?: ReactNode;
}

/** The active profile: who is signed in, on which site, until when; sign in or out, edit, remove. */
export function ProfileDetails({
  profile,
  now,
  notice,
  onSignIn,
  onSignOut,
  onEdit,
  onRemove,
  actions,
}: ProfileDetailsProps) {
  const { t, i18n } = useTranslation();
  const mark = statusMark(profile, now);
  const signedIn = profile.status === 'signed-in' && mark !== 'attention';
  // The site refused the refresh token (INVALID_GRANT): the identity shown is the last one, stale.
  const refused = profile.status === 'needs-attention' && !profile.role;
  const identity = profile.identity;
  const kind = identity?.type ? t(`identity.${identity.type}`) : t('identity.identity');
  const when = (iso: string | undefined) => (iso ? relativeTime(Date.parse(iso) - now, i18n.language) : undefined);
  const access = when(profile.accessTokenExpiresAt);
  const refresh = when(profile.refreshTokenExpiresAt);
  return (
    <section className="details" aria-labelledby="details-name">
      <div className="details-head">
        <h2 id="details-name">{profile.name}</h2>
        <span className={`site-tag${profile.demo ? ' demo' : ''}`}>
          {profile.demo ? t('sites.demo') : t(`sites.${profile.site}`)}
        </span>
        <span className="spacer" />
        {actions}
        {profile.role ? (
          // A role has no sign-in of its own: its source's decides (and signs it out).
          <span className="muted small">{t('details.roleSignsIn', { source: profile.role.source ?? '—' })}</span>
        ) : signedIn ? (
          <button type="button" onClick={onSignOut}>
            {t('details.signOut')}
          </button>
        ) : (
          <button type="button" className="primary" onClick={onSignIn}>
            {mark === 'attention' ? t('details.signInAgain') : t('details.signIn')}
          </button>
        )}
        <button type="button" onClick={onEdit}>
          {t('details.edit')}
        </button>
        <button type="button" className="danger" onClick={onRemove}>
          {t('details.remove')}
        </button>
      </div>
      <p className={`identity${refused && identity ? ' stale' : ''}`} data-testid="identity">
        {profile.role ? (
          <>
            {profile.role.source
              ? t('details.role', {
                  role: profile.role.roleName,
                  account: profile.role.accountId,
                  source: profile.role.source,
                })
              : t('details.roleSourceGone', { role: profile.role.roleName, account: profile.role.accountId })}{' '}
            <CopyButton text={profile.role.accountId} what={t('details.accountIdWhat')} className="small" />
          </>
        ) : identity ? (
          <>
            {refused ? `${t('details.lastSignedInAs')} ` : null}
            <span className="who">{identityName(identity)}</span> ({kind})
            {identity.aid ? (
              <>
                {' · '}
                {t('identity.accountId', { id: identity.aid })}{' '}
                <CopyButton text={identity.aid} what={t('details.accountIdWhat')} className="small" />
              </>
            ) : null}
          </>
        ) : (
          t('identity.nobody')
        )}
      </p>
      <p className="status-line">
        <StatusMark profile={profile} now={now} withWord />
        {profile.status === 'signed-in' && access ? <span> · {t('details.access', { when: access })}</span> : null}
        {profile.status === 'signed-in' && refresh ? <span> · {t('details.refresh', { when: refresh })}</span> : null}
      </p>
      {refused ? (
        <div className="banner warn attention" role="alert" data-code="INVALID_GRANT">
          <p className="attention-title">
            <strong>{t('attention.title')}</strong>
          </p>
          <p>{t('attention.reason')}</p>
          <p className="small error-code">{t('error.code', { code: 'INVALID_GRANT' })}</p>
          <button type="button" className="primary" onClick={onSignIn}>
            {t('details.signInAgain')}
          </button>
        </div>
      ) : mark === 'attention' && !profile.role ? (
        <div className="banner warn" role="status">
          {t('details.attention')}{' '}
          <button type="button" onClick={onSignIn}>
            {t('details.signInAgain')}
          </button>
        </div>
      ) : null}
      {profile.demo ? <p className="demo-note small">{t('details.demoNote')}</p> : null}
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
    </section>
  );
}
