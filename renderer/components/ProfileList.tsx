import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../shared/contract';
import { StatusMark } from './StatusMark';

/** More profiles than this and the list gets a search box. */
const SEARCH_AFTER = 5;

interface ProfileListProps {
  profiles: ProfileView[];
  now: number;
  onActivate: (id: string) => void;
  onAdd: () => void;
  /** "Add role": a role profile assumed with one of these profiles' credentials. */
  onAddRole?: () => void;
}

/** The profiles, each one click from being the active one. */
export function ProfileList({ profiles, now, onActivate, onAdd, onAddRole }: ProfileListProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const searching = profiles.length > SEARCH_AFTER;
  const needle = searching ? query.trim().toLowerCase() : '';
  const shown = needle ? profiles.filter((p) => p.name.toLowerCase().includes(needle)) : profiles;
  return (
    <nav className="profiles" aria-labelledby="profiles-heading">
      <div className="pane-head">
        <h2 id="profiles-heading">{t('profiles.heading')}</h2>
        <button type="button" onClick={onAdd} aria-label={t('profiles.addLabel')}>
          + {t('profiles.add')}
        </button>
      </div>
      {searching ? (
        <input
          type="search"
          className="profile-search"
          aria-label={t('profiles.search')}
          placeholder={t('profiles.search')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
      ) : null}
      <ul className="profile-list">
        {shown.map((profile) => (
          <li key={profile.id}>
            <button
              type="button"
              className={`profile-item${profile.active ? ' is-active' : ''}`}
              aria-current={profile.active ? 'true' : undefined}
              title={t('profiles.makeActive', { name: profile.name })}
              onClick={() => onActivate(profile.id)}
            >
              <StatusMark profile={profile} now={now} />
              <span className="profile-name">{profile.name}</span>
              {profile.active ? <span className="visually-hidden">({t('profiles.active')})</span> : null}
              <span className={`site-tag${profile.demo ? ' demo' : ''}`}>
                {t(`siteShort.${profile.demo ? 'demo' : profile.site}`)}
              </span>
            </button>
          </li>
        ))}
      </ul>
      {shown.length === 0 && needle ? <p className="muted">{t('profiles.noMatch', { query })}</p> : null}
      {onAddRole ? (
        <button type="button" className="add-role" onClick={onAddRole}>
          <span aria-hidden="true">+ </span>
          {t('roles.add')}
        </button>
      ) : null}
    </nav>
  );
}
