import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CliFieldChange, CliLinkView, ProfileView } from '../../../shared/contract';
import { useCliLink, useCliStatus, type CliMode } from '../../state/useHubCli';
import { ErrorMessage } from '../ErrorMessage';
import { ImportSection } from './ImportSection';

const MODE_WORD: Record<CliLinkView['kind'], string> = { external: 'External', uri: 'CredentialsURI' };

/** "Use with aliyun CLI": the CLI profiles linked to this profile and their state, a new link with its preview, and the import. */
export function CliPane({ profile, profiles }: { profile: ProfileView; profiles: readonly ProfileView[] }) {
  const { t } = useTranslation();
  const status = useCliStatus();
  const [mode, setMode] = useState<CliMode>('external');
  const [cliProfile, setCliProfile] = useState(profile.name);
  const form = useCliLink(profile.id, mode, cliProfile);
  const file = status.state.status === 'loaded' ? status.state.value.configPath : null;
  const mine =
    status.state.status === 'loaded' ? status.state.value.links.filter((l) => l.linkedToId === profile.id) : [];
  const fixed = status.state.status === 'loaded' ? status.state.value.fixed : undefined;

  const link = async () => {
    if (await form.link()) void status.reload();
  };

  return (
    <div className="hub-pane cli-pane">
      <section aria-labelledby="cli-heading">
        <div className="pane-head">
          <h2 id="cli-heading">{t('hub.cli.heading')}</h2>
          <button type="button" onClick={() => void status.reload()}>
            {t('hub.cli.check')}
          </button>
        </div>
        {file ? <p className="muted small config-path">{t('hub.cli.file', { path: file })}</p> : null}
        <h3>{t('hub.cli.linked', { name: profile.name })}</h3>
        {status.state.status === 'loading' ? <p className="muted">{t('hub.loading')}</p> : null}
        {status.state.status === 'failed' ? <ErrorMessage error={status.state.error} /> : null}
        {status.state.status === 'loaded' && mine.length === 0 ? (
          <p className="muted">{t('hub.cli.noneLinked')}</p>
        ) : null}
        {mine.length > 0 ? (
          <ul className="cli-links" data-testid="cli-links">
            {mine.map((l) => (
              <li key={l.name} data-intact={l.intact}>
                <span>{t('hub.cli.linkLine', { cli: l.name, mode: MODE_WORD[l.kind] })}</span>
                {' · '}
                <strong className={l.intact ? 'ok-word' : 'warn-word'}>
                  {l.intact ? t('hub.cli.intact') : t('hub.cli.broken')}
                </strong>
                {l.problems.length > 0 ? (
                  <ul className="small">
                    {l.problems.map((p) => (
                      <li key={p}>{t(`hub.cli.problems.${p}`)}</li>
                    ))}
                  </ul>
                ) : null}
              </li>
            ))}
          </ul>
        ) : null}
        {mine.some((l) => !l.intact) ? (
          <button type="button" className="primary" disabled={status.fixing} onClick={() => void status.fix()}>
            {t('hub.cli.fix')}
          </button>
        ) : null}
        {fixed ? (
          <p className="notice" role="status">
            {fixed.length > 0 ? t('hub.cli.fixed', { names: fixed.join(', ') }) : t('hub.cli.nothingFixed')}
          </p>
        ) : null}
        {status.failure ? <ErrorMessage error={status.failure} /> : null}

        <h3>{t('hub.cli.linkHeading')}</h3>
        <fieldset className="presets">
          <legend>{t('hub.cli.mode')}</legend>
          {(['external', 'uri'] as const).map((m) => (
            <label key={m} className="preset">
              <input type="radio" name="cli-mode" value={m} checked={mode === m} onChange={() => setMode(m)} />{' '}
              {t(`hub.cli.${m}`)}
            </label>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="cli-profile-name">{t('hub.cli.cliProfile')}</label>
          <input
            id="cli-profile-name"
            value={cliProfile}
            aria-invalid={!form.valid}
            aria-describedby={form.valid ? undefined : 'cli-profile-error'}
            onChange={(event) => setCliProfile(event.target.value)}
          />
          {!form.valid ? (
            <span id="cli-profile-error" className="field-error small">
              {t('hub.cli.cliProfileInvalid')}
            </span>
          ) : null}
        </div>
        {form.valid ? <LinkPreview preview={form.preview} /> : null}
        <div className="actions start">
          <button
            type="button"
            className="primary"
            disabled={
              !form.valid || form.linking || form.preview.status !== 'loaded' || form.preview.value.changes.length === 0
            }
            onClick={() => void link()}
          >
            {t('hub.cli.link')}
          </button>
        </div>
        {form.failure ? <ErrorMessage error={form.failure} /> : null}
        {form.done ? (
          <div className="notice" role="status" data-testid="cli-linked">
            <p>
              {t(form.done.changed ? 'hub.cli.linked_done' : 'hub.cli.unchanged', {
                cli: form.done.cliProfile,
                name: profile.name,
              })}
            </p>
            {form.done.backup ? <p className="small muted">{t('hub.cli.backup', { path: form.done.backup })}</p> : null}
            {form.done.wrapper ? (
              <p className="small muted">{t('hub.cli.wrapper', { path: form.done.wrapper.file })}</p>
            ) : null}
            {form.done.wrapper?.warning ? <p className="small">{form.done.wrapper.warning}</p> : null}
            {form.done.programMissing ? <ProgramMissing program={form.done.programMissing} /> : null}
            <p className="small">
              <code>{t('hub.cli.useIt', { cli: form.done.cliProfile })}</code>
            </p>
          </div>
        ) : null}
      </section>
      <ImportSection profiles={profiles} />
    </div>
  );
}

function LinkPreview({ preview }: { preview: ReturnType<typeof useCliLink>['preview'] }) {
  const { t } = useTranslation();
  if (preview.status === 'loading') return <p className="muted">{t('hub.loading')}</p>;
  if (preview.status === 'failed') return <ErrorMessage error={preview.error} />;
  const value = preview.value;
  return (
    <div className="link-preview" data-testid="cli-preview">
      <p className="small">{t('hub.cli.preview', { path: value.configPath })}</p>
      {value.changes.length === 0 ? (
        <p className="muted">{t('hub.cli.noChange')}</p>
      ) : (
        <ul className="changes" aria-label={t('hub.cli.previewLabel')}>
          {value.changes.map((change) => (
            <ChangeLine key={`${change.scope}:${change.field}`} change={change} />
          ))}
        </ul>
      )}
      {value.created ? <p className="small">{t('hub.cli.created', { cli: value.cliProfile })}</p> : null}
      {value.newSecret ? <p className="small">{t('hub.cli.newSecret')}</p> : null}
      {value.programMissing ? <ProgramMissing program={value.programMissing} /> : null}
    </div>
  );
}

/** An External command whose program the aliyun CLI would not find (an app-only install). */
function ProgramMissing({ program }: { program: string }) {
  const { t } = useTranslation();
  return (
    <p className="small warn-text" role="note" data-testid="cli-program-missing">
      {t('hub.cli.programMissing', { program })}
    </p>
  );
}

function ChangeLine({ change }: { change: CliFieldChange }) {
  const { t } = useTranslation();
  const field = change.scope === 'file' ? t('hub.cli.fileKey', { field: change.field }) : change.field;
  const sign = change.action === 'remove' ? '−' : change.action === 'add' ? '+' : '~';
  return (
    <li className={`change change-${change.action}`} data-field={change.field} data-action={change.action}>
      <span aria-hidden="true" className="change-sign">
        {sign}
      </span>{' '}
      <span className="change-action">{t(`hub.cli.${change.action}`)}</span> <code>{field}</code>
      {change.before !== undefined && change.action !== 'add' ? (
        <>
          {' '}
          <del className="change-before">{change.before}</del>
        </>
      ) : null}
      {change.after !== undefined ? (
        <>
          {change.action === 'set' ? ' → ' : ' '}
          <ins className="change-after">{change.after}</ins>
        </>
      ) : null}
    </li>
  );
}
