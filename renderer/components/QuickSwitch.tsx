import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../shared/contract';
import { Modal } from './Modal';

/** Ctrl/⌘+K: type part of a profile's name, arrows to pick, Enter to make it active. */
export function QuickSwitch({
  profiles,
  onPick,
  onClose,
}: {
  profiles: ProfileView[];
  onPick: (id: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const needle = query.trim().toLowerCase();
  const matches = needle ? profiles.filter((p) => p.name.toLowerCase().includes(needle)) : profiles;
  const selected = Math.min(index, Math.max(0, matches.length - 1));

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') setIndex(Math.min(selected + 1, matches.length - 1));
    else if (event.key === 'ArrowUp') setIndex(Math.max(selected - 1, 0));
    else if (event.key === 'Enter') {
      const pick = matches[selected];
      if (pick) onPick(pick.id);
    } else return;
    event.preventDefault();
  };

  return (
    <Modal labelledBy="quick-title" onClose={onClose} className="quick-switch">
      <h2 id="quick-title" className="visually-hidden">
        {t('quick.title')}
      </h2>
      <input
        role="combobox"
        aria-expanded="true"
        aria-controls="quick-list"
        aria-activedescendant={matches[selected] ? `quick-${matches[selected].id}` : undefined}
        aria-label={t('quick.title')}
        placeholder={t('quick.placeholder')}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setIndex(0);
        }}
        onKeyDown={onKeyDown}
        data-autofocus
      />
      <ul id="quick-list" role="listbox" aria-label={t('quick.title')}>
        {matches.map((profile, i) => (
          <li
            key={profile.id}
            id={`quick-${profile.id}`}
            role="option"
            aria-selected={i === selected}
            className={i === selected ? 'selected' : undefined}
            onClick={() => onPick(profile.id)}
          >
            {profile.name}
            <span className="site-tag">{t(`siteShort.${profile.demo ? 'demo' : profile.site}`)}</span>
          </li>
        ))}
      </ul>
      {matches.length === 0 ? <p className="muted">{t('quick.none')}</p> : null}
    </Modal>
  );
}
