import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView, RoleAdded, WireError } from '../../shared/contract';
import { useApi } from '../api';
import {
  newRoleForm,
  stsNeed,
  toRoleDraft,
  type RoleErrors,
  type RoleField,
  type RoleFormState,
} from '../state/role-form';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';
import { Modal } from './Modal';

interface RoleFormProps {
  profiles: readonly ProfileView[];
  /** The source chosen first (the active profile). */
  sourceId?: string;
  onDone: (added: RoleAdded) => void;
  onCancel: () => void;
}

/**
 * "Add role": a role profile assumed with another profile's credentials, through the same
 * use-case as `profile add --assume-role`. Main assumes the role once before storing anything,
 * so a refusal (unknown role, too long a session, a loop) is said here and nothing is kept.
 */
export function RoleForm({ profiles, sourceId, onDone, onCancel }: RoleFormProps) {
  const { t } = useTranslation();
  const api = useApi();
  const sourceField = useId();
  const [state, setState] = useState<RoleFormState>(() => newRoleForm(profiles, sourceId));
  const [errors, setErrors] = useState<RoleErrors>({});
  const [failure, setFailure] = useState<WireError | null>(null);
  const [busy, setBusy] = useState(false);
  const failureBox = useRef<HTMLDivElement>(null);
  // Main's refusal is at the foot of a tall sheet: bring it into view (role="alert" announces it).
  useEffect(() => {
    if (failure) failureBox.current?.scrollIntoView?.({ block: 'nearest' });
  }, [failure]);
  const set = (patch: Partial<RoleFormState>) => setState((current) => ({ ...current, ...patch }));
  const invalid = (key: RoleField) => (errors[key] ? t(`roles.invalid.${errors[key]}`) : undefined);
  const source = profiles.find((p) => p.id === state.from);
  const need = stsNeed(source);
  const moreOpen = Boolean(errors.sessionName || errors.externalId || errors.region);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    const { errors: found, draft } = toRoleDraft(state, source);
    setErrors(found);
    if (!draft) return;
    setBusy(true);
    const result = await api.addRoleProfile(draft);
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setFailure(result.error);
  };

  return (
    <Modal labelledBy="role-form-title" onClose={onCancel} className="form-sheet role-form">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2 id="role-form-title">{t('roles.title')}</h2>
        <p className="small muted">{t('roles.intro')}</p>
        <Field
          label={t('roles.name')}
          value={state.name}
          error={invalid('name')}
          onChange={(name) => set({ name })}
          autoFocus
        />
        <Field
          label={t('roles.roleArn')}
          hint={t('roles.roleArnHint')}
          placeholder="acs:ram::1234567890123456:role/ReadOnly"
          value={state.roleArn}
          error={invalid('roleArn')}
          onChange={(roleArn) => set({ roleArn })}
        />
        <div className="field">
          <label htmlFor={sourceField}>{t('roles.source')}</label>
          <select
            id={sourceField}
            value={state.from}
            aria-describedby={`${sourceField}-hint`}
            onChange={(event) => set({ from: event.target.value })}
          >
            {profiles.map((profile) => (
              <option key={profile.id} value={profile.id}>
                {profile.role
                  ? t('roles.sourceRole', { name: profile.name, role: profile.role.roleName })
                  : profile.name}
              </option>
            ))}
          </select>
          <span id={`${sourceField}-hint`} className="hint small">
            {t('roles.sourceHint')}
          </span>
        </div>
        <Field
          label={t('roles.duration')}
          hint={t('roles.durationHint')}
          placeholder="3600"
          value={state.duration}
          error={invalid('duration')}
          onChange={(duration) => set({ duration })}
        />
        {need !== 'hidden' ? (
          <Field
            label={t('roles.stsEndpoint')}
            hint={t(`roles.stsHints.${need}`, { source: source?.name ?? '' })}
            type="url"
            placeholder="https://"
            value={state.stsEndpoint}
            error={invalid('stsEndpoint')}
            onChange={(stsEndpoint) => set({ stsEndpoint })}
          />
        ) : null}
        <details className="advanced" open={moreOpen || undefined}>
          <summary>{t('roles.more')}</summary>
          <Field
            label={t('roles.sessionName')}
            hint={t('roles.sessionNameHint')}
            value={state.sessionName}
            error={invalid('sessionName')}
            onChange={(sessionName) => set({ sessionName })}
          />
          <Field
            label={t('roles.externalId')}
            hint={t('roles.externalIdHint')}
            value={state.externalId}
            error={invalid('externalId')}
            onChange={(externalId) => set({ externalId })}
          />
          <Field
            label={t('roles.region')}
            hint={t('roles.regionHint', { source: source?.name ?? '' })}
            placeholder={source?.region}
            value={state.region}
            error={invalid('region')}
            onChange={(region) => set({ region })}
          />
        </details>
        {busy ? (
          <p className="small muted" role="status">
            {t('roles.checking')}
          </p>
        ) : null}
        <div ref={failureBox}>{failure ? <ErrorMessage error={failure} /> : null}</div>
        <div className="actions">
          <button type="button" onClick={onCancel}>
            {t('roles.cancel')}
          </button>
          {/* Not disabled while main checks the role: a disabled button drops the focus, and the keyboard user with it. */}
          <button type="submit" className="primary" aria-disabled={busy || undefined}>
            {t('roles.submit')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
