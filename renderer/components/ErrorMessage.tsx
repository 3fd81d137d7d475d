import { useTranslation } from 'react-i18next';
import type { WireError } from '../../shared/contract';

/** Plain words for a failure code, the code in small type (for a bug report), and main's details. */
export function ErrorMessage({ error, title }: { error: WireError; title?: string }) {
  const { t } = useTranslation();
  return (
    <div className="error" role="alert" data-code={error.code}>
      {title ? <strong className="error-title">{title}</strong> : null}
      <p className="error-words">{t(`errors.${error.code}`)}</p>
      {error.message ? <p className="error-details small">{t('error.details', { message: error.message })}</p> : null}
      <p className="error-code small">{t('error.code', { code: error.code })}</p>
    </div>
  );
}
