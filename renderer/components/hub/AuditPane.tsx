import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditEntryView } from '../../../shared/contract';
import { formatCount } from '../../format';
import { useHubAudit, type OutcomeFilter } from '../../state/useHubAudit';
import { ErrorMessage } from '../ErrorMessage';
import { ROW_HEIGHT, useRowWindow } from '../virtual';
import { dateTime } from './when';

const OUTCOMES: readonly OutcomeFilter[] = ['all', 'ok', 'refused', 'refused-uid', 'error'];

/** The broker's audit log: filterable by profile, outcome and text, newest first, only the visible rows in the DOM. */
export function AuditPane({ names }: { names: readonly string[] }) {
  const { t, i18n } = useTranslation();
  const audit = useHubAudit();
  const count = (n: number) => formatCount(n, i18n.language);
  const profiles = [...new Set([...names, ...audit.profiles])].sort();
  const set = (patch: Partial<typeof audit.filter>) => audit.setFilter({ ...audit.filter, ...patch });

  return (
    <section className="hub-pane audit-pane" aria-labelledby="audit-heading">
      <div className="pane-head">
        <h2 id="audit-heading">
          {audit.all ? t('hub.audit.count', { count: count(audit.all.length) }) : t('hub.audit.heading')}
        </h2>
        <button type="button" onClick={() => void audit.reload()}>
          {t('hub.refresh')}
        </button>
      </div>
      <div className="audit-filters">
        <label>
          {t('hub.audit.profile')}{' '}
          <select value={audit.filter.profile} onChange={(event) => set({ profile: event.target.value })}>
            <option value="">{t('hub.audit.allProfiles')}</option>
            {profiles.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('hub.audit.outcome')}{' '}
          <select
            value={audit.filter.outcome}
            onChange={(event) => set({ outcome: event.target.value as OutcomeFilter })}
          >
            {OUTCOMES.map((o) => (
              <option key={o} value={o}>
                {o === 'all' ? t('hub.audit.allOutcomes') : t(`hub.audit.outcomes.${o}`)}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          className="audit-text"
          aria-label={t('hub.audit.filter')}
          placeholder={t('hub.audit.filterHint')}
          value={audit.filter.text}
          onChange={(event) => set({ text: event.target.value })}
        />
      </div>
      {audit.state.status === 'loading' ? <p className="muted pane-message">{t('hub.loading')}</p> : null}
      {audit.state.status === 'failed' ? <ErrorMessage error={audit.state.error} /> : null}
      {audit.all && audit.all.length === 0 ? <p className="muted pane-message">{t('hub.audit.empty')}</p> : null}
      {audit.all && audit.all.length > 0 && audit.shown.length === 0 ? (
        <p className="muted pane-message">{t('hub.audit.noMatch')}</p>
      ) : null}
      {audit.shown.length > 0 ? <AuditTable entries={audit.shown} /> : null}
      {audit.all && audit.all.length > 0 ? (
        <p className="pane-foot small" role="status">
          {t('hub.audit.shown', { shown: count(audit.shown.length), total: count(audit.all.length) })}
        </p>
      ) : null}
    </section>
  );
}

function AuditTable({ entries }: { entries: readonly AuditEntryView[] }) {
  const { t, i18n } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const { window: span, onScroll } = useRowWindow(entries.length, scroller);
  const rows = entries.slice(span.start, span.end);
  return (
    <div
      ref={scroller}
      role="table"
      className="hub-table audit-table"
      aria-label={t('hub.audit.tableLabel')}
      aria-rowcount={entries.length + 1}
      tabIndex={0}
      onScroll={onScroll}
      data-testid="audit-scroll"
    >
      <div role="rowgroup" className="hub-table-head">
        <div role="row" aria-rowindex={1} className="hub-row">
          {(['time', 'profile', 'mode', 'outcome'] as const).map((column) => (
            <div key={column} role="columnheader" className={`cell audit-${column}`}>
              {t(`hub.audit.columns.${column}`)}
            </div>
          ))}
        </div>
      </div>
      <div role="rowgroup" className="hub-table-body" style={{ height: span.height }}>
        <div className="hub-table-window" style={{ transform: `translateY(${span.offset}px)` }}>
          {rows.map((entry, i) => (
            <div
              role="row"
              key={span.start + i}
              aria-rowindex={span.start + i + 2}
              className="hub-row"
              style={{ height: ROW_HEIGHT }}
            >
              <div role="cell" className="cell audit-time">
                {dateTime(entry.time, i18n.language)}
              </div>
              <div role="cell" className="cell audit-profile">
                {entry.profile ?? t('hub.audit.none')}
              </div>
              <div role="cell" className="cell audit-mode">
                {t(`hub.broker.modes.${entry.mode}`)}
              </div>
              <div role="cell" className={`cell audit-outcome outcome-${entry.outcome}`}>
                {t(`hub.audit.outcomes.${entry.outcome}`)}
                {entry.reason ? ` (${entry.reason})` : ''}
                {entry.uid !== undefined ? ` uid ${entry.uid}` : ''}
                {entry.count > 1 ? ` ${t('hub.audit.times', { count: entry.count })}` : ''}
              </div>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
