import { useCallback, useMemo, useState } from 'react';
import type { AuditEntryView } from '../../shared/contract';
import { useApi } from '../api';
import { useHubResult } from './useHubResult';

export type OutcomeFilter = 'all' | AuditEntryView['outcome'];

export interface AuditFilter {
  /** A profile name, or '' for all. */
  profile: string;
  outcome: OutcomeFilter;
  text: string;
}

/** Entries that pass the filter (the log comes newest first and stays so). */
export function filterAudit(entries: readonly AuditEntryView[], filter: AuditFilter): AuditEntryView[] {
  const needle = filter.text.trim().toLowerCase();
  return entries.filter(
    (e) =>
      (filter.profile === '' || e.profile === filter.profile) &&
      (filter.outcome === 'all' || e.outcome === filter.outcome) &&
      (needle === '' ||
        [e.profile ?? '', e.mode, e.outcome, e.reason ?? '', e.uid === undefined ? '' : String(e.uid), e.time].some(
          (field) => field.toLowerCase().includes(needle),
        )),
  );
}

/** The broker's audit log, newest first, and the filter over it. */
export function useHubAudit() {
  const api = useApi();
  const load = useCallback(() => api.auditLog(), [api]);
  const { state, reload } = useHubResult(load, 'audit');
  const [filter, setFilter] = useState<AuditFilter>({ profile: '', outcome: 'all', text: '' });
  const all = state.status === 'loaded' ? state.value.entries : undefined;
  const shown = useMemo(() => (all ? filterAudit(all, filter) : []), [all, filter]);
  const profiles = useMemo(
    () => [...new Set((all ?? []).flatMap((e) => (e.profile ? [e.profile] : [])))].sort(),
    [all],
  );
  return { state, reload, all, shown, profiles, filter, setFilter };
}
