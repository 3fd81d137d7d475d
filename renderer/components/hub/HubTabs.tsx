import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../../shared/contract';
import { AuditPane } from './AuditPane';
import { BrokerPane } from './BrokerPane';
import { CliPane } from './CliPane';
import { ExpiryPane } from './ExpiryPane';
import './hub.css';

const HUB_TABS = ['buckets', 'broker', 'cli', 'audit', 'expiry'] as const;
export type HubTab = (typeof HUB_TABS)[number];

interface HubTabsProps {
  profile: ProfileView;
  profiles: readonly ProfileView[];
  now: number;
  /** The buckets pane, as App builds it. */
  buckets: ReactNode;
}

/**
 * Below the active profile: its buckets, its broker, the aliyun CLI, and the audit log and expiry
 * overview of all profiles. A tab list as ARIA describes it: one tab stop, arrows and Home/End
 * move between tabs (and show them), the panel follows.
 */
export function HubTabs({ profile, profiles, now, buckets }: HubTabsProps) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<HubTab>('buckets');
  const refs = useRef(new Map<HubTab, HTMLButtonElement>());

  const choose = (next: HubTab) => {
    setTab(next);
    refs.current.get(next)?.focus();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = HUB_TABS.indexOf(tab);
    const to =
      event.key === 'ArrowRight'
        ? (at + 1) % HUB_TABS.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + HUB_TABS.length) % HUB_TABS.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? HUB_TABS.length - 1
              : -1;
    const next = HUB_TABS[to];
    if (!next) return;
    event.preventDefault();
    choose(next);
  };

  let panel: ReactNode;
  if (tab === 'buckets') panel = buckets;
  else if (tab === 'broker') panel = <BrokerPane key={profile.id} profile={profile} />;
  else if (tab === 'cli') panel = <CliPane key={profile.id} profile={profile} profiles={profiles} />;
  else if (tab === 'audit') panel = <AuditPane names={profiles.map((p) => p.name)} />;
  else panel = <ExpiryPane profiles={profiles} now={now} />;

  return (
    <div className="hub">
      <div
        role="tablist"
        aria-label={t('hub.tabs.label', { name: profile.name })}
        className="hub-tabs"
        onKeyDown={onKeyDown}
      >
        {HUB_TABS.map((name) => (
          <button
            key={name}
            ref={(element) => {
              if (element) refs.current.set(name, element);
              else refs.current.delete(name);
            }}
            type="button"
            role="tab"
            id={`hub-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`hub-panel-${name}`}
            tabIndex={tab === name ? 0 : -1}
            className="hub-tab"
            onClick={() => setTab(name)}
          >
            {t(`hub.tabs.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`hub-panel-${tab}`} aria-labelledby={`hub-tab-${tab}`} className="hub-panel">
        {panel}
      </div>
    </div>
  );
}
