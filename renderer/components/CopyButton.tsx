import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api';

/** Copies through the app (the page itself has no clipboard permission); says so for a moment. */
export function CopyButton({ text, label, className }: { text: string; label: string; className?: string }) {
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
    <button type="button" className={`copy ${className ?? ''}`} aria-label={label} title={label} onClick={() => void copy()}>
      {copied ? t('common.copied') : t('signIn.copy')}
    </button>
  );
}
