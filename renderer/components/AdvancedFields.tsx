import { useTranslation } from 'react-i18next';
import { ENDPOINT_KEYS, type FieldErrors, type FormState } from '../state/profile-form';
import { Field } from './Field';

interface AdvancedFieldsProps {
  state: FormState;
  errors: FieldErrors;
  set: (patch: Partial<FormState>) => void;
  showPorts: boolean;
  showEndpoints: boolean;
}

/** Ports, the OSS endpoint and another site's endpoints: folded away until asked for. */
export function AdvancedFields({ state, errors, set, showPorts, showEndpoints }: AdvancedFieldsProps) {
  const { t } = useTranslation();
  const invalid = (key: keyof FieldErrors) => (errors[key] ? t(`form.invalid.${errors[key]}`) : undefined);
  const open = Boolean(
    errors.ports || errors.ossEndpoint || errors.endpoints || ENDPOINT_KEYS.some((key) => errors[key]),
  );
  return (
    <details className="advanced" open={open || undefined}>
      <summary>{t('form.advanced')}</summary>
      {showPorts ? (
        <Field
          label={t('form.ports')}
          hint={t('form.portsHint')}
          value={state.ports}
          error={invalid('ports')}
          onChange={(ports) => set({ ports })}
        />
      ) : null}
      <Field
        label={t('form.ossEndpoint')}
        hint={t('form.ossEndpointHint')}
        type="url"
        placeholder="https://oss-cn-hangzhou.aliyuncs.com"
        value={state.ossEndpoint}
        error={invalid('ossEndpoint')}
        onChange={(ossEndpoint) => set({ ossEndpoint })}
      />
      {showEndpoints ? (
        <fieldset className="endpoints">
          <legend>{t('form.endpoints')}</legend>
          {errors.endpoints ? <p className="field-error small">{t('form.invalid.endpoints')}</p> : null}
          {ENDPOINT_KEYS.map((key) => (
            <Field
              key={key}
              type="url"
              label={t(`form.${key}`)}
              placeholder="https://"
              value={state.endpoints[key]}
              error={invalid(key)}
              onChange={(value) => set({ endpoints: { ...state.endpoints, [key]: value } })}
            />
          ))}
        </fieldset>
      ) : null}
    </details>
  );
}
