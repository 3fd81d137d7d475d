import { useCallback, useEffect, useMemo, useState } from 'react';
import type { AuditEntryView } from '../../shared/contract';
import { useApi } from '../api';
import { useHubResult } from './useHubResult';

/** A burst of 'audit-changed' events (each broker write) is one read, this long after the last. */
const AUDIT_RELOAD_DEBOUNCE_MS = 100;

export type OutcomeFilter = 'all' | AuditEntryView['outcome'];

export interface AuditFilter {
  /** A profile name, or '' for all. */
  profile: string;
  outcome: OutcomeFilter;
  text: string;
}

/** Entries that pass the filter (the log comes newest first and stays so). */
function filterAudit(entries: readonly AuditEntryView[], filter: AuditFilter): AuditEntryView[] {
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

/** The broker's audit log, newest first (read again when main says it changed), and the filter over it. */
export function useHubAudit() {
  const api = useApi();
  const load = useCallback(() => api.auditLog(), [api]);
  const { state, reload } = useHubResult(load, 'audit');
  // Main says when the log changed on disk (the CLI's requests to a broker): read it again.
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stop = api.onAuditChanged(() => {
      clearTimeout(timer);
      timer = setTimeout(() => void reload(), AUDIT_RELOAD_DEBOUNCE_MS);
    });
    return () => {
      clearTimeout(timer);
      stop();
    };
  }, [api, reload]);
  const [filter, setFilter] = useState<AuditFilter>({ profile: '', outcome: 'all', text: '' });
  const all = state.status === 'loaded' ? state.value.entries : undefined;
  const shown = useMemo(() => (all ? filterAudit(all, filter) : []), [all, filter]);
  const profiles = useMemo(
    () => [...new Set((all ?? []).flatMap((e) => (e.profile ? [e.profile] : [])))].sort(),
    [all],
  );
  return { state, reload, all, shown, profiles, filter, setFilter };
}
