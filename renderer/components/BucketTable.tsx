import { useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { BucketView } from '../../shared/contract';
import { shortDate, type Sort, type SortKey } from '../format';
import { CopyButton } from './CopyButton';
import { useRowFocus } from './row-focus';
import { ROW_HEIGHT, useRowWindow } from './virtual';

const COLUMNS: ReadonlyArray<{ key: SortKey; label: 'name' | 'region' | 'created' | 'storageClass' }> = [
  { key: 'name', label: 'name' },
  { key: 'region', label: 'region' },
  { key: 'creationDate', label: 'created' },
  { key: 'storageClass', label: 'storageClass' },
];

interface BucketTableProps {
  buckets: BucketView[];
  label: string;
  sort: Sort;
  onSort: (key: SortKey) => void;
}

/**
 * The buckets as a table whose rows exist only while they are (nearly) in view. The table itself
 * scrolls (its header row sticks), so it owns its two row groups directly as ARIA requires, and
 * it takes focus: the arrow keys, Page Up/Down, Home and End scroll it.
 */
export function BucketTable({ buckets, label, sort, onSort }: BucketTableProps) {
  const { t } = useTranslation();
  const scroller = useRef<HTMLDivElement>(null);
  const { window: span, onScroll } = useRowWindow(buckets.length, scroller);
  const rows = buckets.slice(span.start, span.end);
  // One Tab stop for all the rows' Copy buttons: the arrow keys move between rows.
  const focus = useRowFocus(buckets.length, span, scroller);
  return (
    <div
      ref={scroller}
      role="table"
      className="bucket-table"
      aria-label={label}
      aria-rowcount={buckets.length + 1}
      tabIndex={0}
      onScroll={onScroll}
      data-testid="bucket-scroll"
    >
      <div role="rowgroup" className="bucket-head">
        <div role="row" aria-rowindex={1} className="bucket-row">
          {COLUMNS.map((column) => {
            const sorted = sort.key === column.key;
            return (
              <div
                key={column.key}
                role="columnheader"
                className={`cell col-${column.label}`}
                aria-sort={sorted ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
              >
                <button type="button" className="sort" onClick={() => onSort(column.key)}>
                  {t(`buckets.columns.${column.label}`)}
                  <span aria-hidden="true">{sorted ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </div>
            );
          })}
        </div>
      </div>
      <div
        role="rowgroup"
        className="bucket-body"
        style={{ height: span.height }}
        onKeyDown={(event: KeyboardEvent<HTMLDivElement>) => focus.onKeyDown(event)}
      >
        <div className="bucket-window" style={{ transform: `translateY(${span.offset}px)` }}>
          {rows.map((bucket, i) => (
            <div
              role="row"
              key={bucket.name}
              aria-rowindex={span.start + i + 2}
              className="bucket-row"
              style={{ height: ROW_HEIGHT }}
            >
              <div role="cell" className="cell col-name">
                <span className="bucket-name" title={bucket.name}>
                  {bucket.name}
                </span>
                <CopyButton
                  text={bucket.name}
                  what={t('buckets.nameWhat', { name: bucket.name })}
                  className="small row-copy"
                  tabIndex={span.start + i === focus.stop ? 0 : -1}
                  data-row={span.start + i}
                  onFocus={() => focus.focused(span.start + i)}
                />
              </div>
              <div role="cell" className="cell col-region">
                {bucket.region}
              </div>
              <div role="cell" className="cell col-created">
                {shortDate(bucket.creationDate)}
              </div>
              <div role="cell" className="cell col-storageClass">
                {bucket.storageClass}
              </div>
            </div>
          ))}
        </div>
      </div>
    </div>
  );
}
