import { useMemo, useState, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../shared/contract';
import { formatCount, isMac, visibleBuckets, type Sort, type SortKey } from '../format';
import type { BucketsState } from '../state/useBuckets';
import { BucketTable } from './BucketTable';
import { ErrorMessage } from './ErrorMessage';

interface BucketsPaneProps {
  profile: ProfileView;
  state: BucketsState;
  onRefresh: () => void;
  filterRef: RefObject<HTMLInputElement | null>;
}

/** The active profile's buckets: progress while pages arrive, then a filterable, sortable table. */
export function BucketsPane({ profile, state, onRefresh, filterRef }: BucketsPaneProps) {
  const { t, i18n } = useTranslation();
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<Sort>({ key: 'name', direction: 'asc' });
  const all = state.status === 'loaded' ? state.list.buckets : undefined;
  const shown = useMemo(() => (all ? visibleBuckets(all, query, sort) : []), [all, query, sort]);
  const count = (n: number) => formatCount(n, i18n.language);
  const onSort = (key: SortKey) =>
    setSort((current) => ({ key, direction: current.key === key && current.direction === 'asc' ? 'desc' : 'asc' }));

  return (
    <section className="buckets" aria-labelledby="buckets-heading">
      <div className="pane-head">
        <h2 id="buckets-heading">{all ? t('buckets.count', { count: count(all.length) }) : t('buckets.heading')}</h2>
        <input
          ref={filterRef}
          id="bucket-filter"
          type="search"
          className="bucket-filter"
          aria-label={t('buckets.filter')}
          placeholder={t('buckets.filterHint', { keys: isMac() ? '⌘F' : 'Ctrl+F' })}
          aria-keyshortcuts={isMac() ? 'Meta+F' : 'Control+F'}
          value={query}
          disabled={!all}
          onChange={(event) => setQuery(event.target.value)}
        />
        <button type="button" onClick={onRefresh} disabled={state.status === 'idle' || state.status === 'loading'}>
          {t('buckets.refresh')}
        </button>
      </div>
      {state.status === 'idle' ? <IdleMessage profile={profile} /> : null}
      {state.status === 'loading' ? (
        <div className="pane-message">
          <p role="status">
            {state.page > 0
              ? t('buckets.progress', { page: state.page, count: count(state.received) })
              : t('buckets.loading')}
          </p>
          <progress aria-label={t('buckets.loading')} />
        </div>
      ) : null}
      {state.status === 'failed' ? (
        <div className="pane-message">
          <ErrorMessage error={state.error} title={t('buckets.failed')} />
        </div>
      ) : null}
      {all && all.length === 0 ? <p className="muted pane-message">{t('buckets.empty')}</p> : null}
      {all && all.length > 0 && shown.length === 0 ? (
        <p className="muted pane-message">{t('buckets.noMatch', { query: query.trim() })}</p>
      ) : null}
      {all && shown.length > 0 ? (
        <BucketTable
          buckets={shown}
          label={t('buckets.tableLabel', { name: profile.name })}
          sort={sort}
          onSort={onSort}
        />
      ) : null}
      {state.status === 'loaded' ? (
        <p className="pane-foot small" role="status">
          {t('buckets.done', { count: count(state.list.buckets.length) })}
          {query.trim()
            ? ` · ${t('buckets.shown', { shown: count(shown.length), total: count(state.list.buckets.length) })}`
            : ''}
        </p>
      ) : null}
    </section>
  );
}

/** The site refused the sign-in: this is why there is no list (not "sign in", not "no buckets"). */
const REFUSED = { code: 'INVALID_GRANT', message: '' } as const;

/** Why nothing is listed for a profile that is not signed in. */
function IdleMessage({ profile }: { profile: ProfileView }) {
  const { t } = useTranslation();
  if (profile.status !== 'needs-attention') return <p className="muted pane-message">{t('buckets.signedOut')}</p>;
  if (profile.role) {
    return <p className="muted pane-message">{t('buckets.roleAttention', { source: profile.role.source ?? '—' })}</p>;
  }
  return (
    <div className="pane-message">
      <ErrorMessage error={REFUSED} title={t('buckets.failed')} />
    </div>
  );
}
