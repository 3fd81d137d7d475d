import { useState, type FocusEventHandler } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api';

/**
 * Copies through the app (the page itself has no clipboard permission); says so for a moment.
 * The button shows "Copy" and is named "Copy <what>": the rest of the name is there for screen
 * readers only, so the visible word is always part of the name (WCAG 2.5.3, Label in Name) and
 * speech users can say what they see.
 */
interface CopyButtonProps {
  text: string;
  what: string;
  className?: string;
  /** For a row of a table with one Tab stop (the others -1). */
  tabIndex?: number;
  'data-row'?: number;
  onFocus?: FocusEventHandler<HTMLButtonElement>;
}

export function CopyButton({ text, what, className, ...focus }: CopyButtonProps) {
  const api = useApi();
  const { t } = useTranslation();
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    const result = await api.copyText(text);
    if (result.ok && result.value.copied) {
      setCopied(true);
      setTimeout(() => setCopied(false), 1500);
    }
  };
  return (
    <button
      type="button"
      className={`copy ${className ?? ''}`}
      title={t('common.copyWhat', { what })}
      onClick={() => void copy()}
      {...focus}
    >
      {copied ? t('common.copied') : t('signIn.copy')}
      <span className="visually-hidden"> {what}</span>
    </button>
  );
}
