import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView, WireError } from '../../shared/contract';
import { useApi } from '../api';
import {
  editForm,
  newForm,
  PRESETS,
  toChanges,
  toDraft,
  type FieldErrors,
  type FormState,
  type Preset,
} from '../state/profile-form';
import { AdvancedFields } from './AdvancedFields';
import { ErrorMessage } from './ErrorMessage';
import { Field } from './Field';
import { Modal } from './Modal';

export type FormMode = { kind: 'add'; preset: Preset } | { kind: 'edit'; profile: ProfileView };

interface ProfileFormProps {
  mode: FormMode;
  taken: readonly string[];
  onDone: (profile: ProfileView) => void;
  onCancel: () => void;
}

/** Add a profile from a preset (advanced: endpoints, ports, OSS endpoint), or edit one. */
export function ProfileForm({ mode, taken, onDone, onCancel }: ProfileFormProps) {
  const { t } = useTranslation();
  const api = useApi();
  const [state, setState] = useState<FormState>(() =>
    mode.kind === 'add' ? newForm(mode.preset, taken) : editForm(mode.profile),
  );
  const [errors, setErrors] = useState<FieldErrors>({});
  const [failure, setFailure] = useState<WireError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<FormState>) => setState((current) => ({ ...current, ...patch }));
  const invalid = (key: keyof FieldErrors) => (errors[key] ? t(`form.invalid.${errors[key]}`) : undefined);
  const editing = mode.kind === 'edit' ? mode.profile : undefined;
  // A role signs in through its source: only its name, region and OSS endpoint are its own.
  const role = editing?.role;
  const ownApp = state.preset === 'own-app' && !role;

  const choosePreset = (preset: Preset) => {
    const fresh = newForm(preset, taken);
    // Keep a name the person typed; replace only the previous preset's default.
    setState((current) => ({
      ...fresh,
      name: current.name === newForm(current.preset, taken).name ? fresh.name : current.name,
    }));
    setErrors({});
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setFailure(null);
    if (editing) {
      const { errors: found, changes } = toChanges(state, editing);
      setErrors(found);
      if (!changes) return;
      if (Object.keys(changes).length === 0) return onCancel();
      setBusy(true);
      const result = await api.updateProfile(editing.id, changes);
      setBusy(false);
      return result.ok ? onDone(result.value) : setFailure(result.error);
    }
    const { errors: found, draft } = toDraft(state);
    setErrors(found);
    if (!draft) return;
    setBusy(true);
    const result = await api.addProfile(draft);
    setBusy(false);
    if (result.ok) onDone(result.value);
    else setFailure(result.error);
  };

  return (
    <Modal labelledBy="profile-form-title" onClose={onCancel} className="form-sheet">
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2 id="profile-form-title">{editing ? t('form.editTitle', { name: editing.name }) : t('form.addTitle')}</h2>
        {!editing ? (
          <fieldset className="presets">
            <legend>{t('form.preset')}</legend>
            {PRESETS.map((preset) => (
              <label key={preset} className={`preset${preset === 'demo' ? ' demo' : ''}`}>
                <input
                  type="radio"
                  name="preset"
                  value={preset}
                  checked={state.preset === preset}
                  onChange={() => choosePreset(preset)}
                />
                {t(`form.presets.${preset}`)}
              </label>
            ))}
          </fieldset>
        ) : null}
        {state.preset === 'demo' && !editing ? <p className="demo-note small">{t('form.demoNote')}</p> : null}
        {role ? (
          <p className="muted small" data-testid="role-edit-note">
            {t('form.roleNote', { source: role.source ?? '—' })}
          </p>
        ) : null}
        <Field
          label={t('form.name')}
          hint={t('form.nameHint')}
          value={state.name}
          error={invalid('name')}
          onChange={(name) => set({ name })}
          autoFocus
        />
        {state.preset !== 'demo' ? (
          <Field
            label={t('form.region')}
            value={state.region}
            error={invalid('region')}
            placeholder="cn-hangzhou"
            onChange={(region) => set({ region })}
          />
        ) : null}
        {ownApp ? (
          <>
            <Field
              label={t('form.clientId')}
              value={state.clientId}
              error={invalid('clientId')}
              onChange={(clientId) => set({ clientId })}
            />
            {!editing ? (
              <label className="field">
                {t('form.appSite')}
                <select
                  value={state.appSite}
                  onChange={(event) => set({ appSite: event.target.value === 'intl' ? 'intl' : 'cn' })}
                >
                  <option value="cn">{t('sites.cn')}</option>
                  <option value="intl">{t('sites.intl')}</option>
                </select>
              </label>
            ) : null}
            <label className="field">
              {t('form.redirect')}
              <select
                value={state.redirect}
                onChange={(event) => set({ redirect: event.target.value === 'scheme' ? 'scheme' : 'loopback' })}
              >
                <option value="loopback">{t('form.redirects.loopback')}</option>
                <option value="scheme">{t('form.redirects.scheme')}</option>
              </select>
            </label>
          </>
        ) : null}
        {state.preset !== 'demo' ? (
          <AdvancedFields
            state={state}
            errors={errors}
            set={set}
            showPorts={ownApp && state.redirect === 'loopback' && !editing}
            showEndpoints={ownApp && (!editing || editing.site === 'custom')}
          />
        ) : null}
        {failure ? <ErrorMessage error={failure} /> : null}
        <div className="actions">
          <button type="button" onClick={onCancel}>
            {t('form.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy}>
            {editing ? t('form.save') : t('form.add')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
