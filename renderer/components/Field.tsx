import { useId } from 'react';

interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  hint?: string;
  error?: string;
  placeholder?: string;
  autoFocus?: boolean;
  type?: 'text' | 'url';
}

/** A labelled text input whose hint and error are announced with it. */
export function Field({ label, value, onChange, hint, error, placeholder, autoFocus, type = 'text' }: FieldProps) {
  const id = useId();
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={described}
        onChange={(event) => onChange(event.target.value)}
        {...(autoFocus ? { 'data-autofocus': true } : {})}
      />
      {hint ? (
        <span id={`${id}-hint`} className="hint small">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={`${id}-error`} className="field-error small">
          {error}
        </span>
      ) : null}
    </div>
  );
}
