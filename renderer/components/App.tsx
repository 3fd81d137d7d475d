import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppInfo, ProfileView, WireError } from '../../shared/contract';
import { useApi } from '../api';
import { saveLanguage, type Language } from '../i18n';
import { useBuckets } from '../state/useBuckets';
import { useProfiles } from '../state/useProfiles';
import { useShortcuts, useTicker } from '../state/useShortcuts';
import { useSignIn, type SignInSheetState } from '../state/useSignIn';
import { Banners } from './Banners';
import { BucketsPane } from './BucketsPane';
import { ConfirmRemove } from './ConfirmRemove';
import { ErrorMessage } from './ErrorMessage';
import { FirstRun } from './FirstRun';
import { ConsoleButton } from './hub/ConsoleButton';
import { HubTabs } from './hub/HubTabs';
import { ProfileDetails } from './ProfileDetails';
import { ProfileForm, type FormMode } from './ProfileForm';
import { ProfileList } from './ProfileList';
import { QuickSwitch } from './QuickSwitch';
import { RoleForm } from './RoleForm';
import { SignInSheet } from './SignInSheet';
import { StatusBar } from './StatusBar';
import { TopBar } from './TopBar';

const KEYCHAIN_CODES = new Set(['KEYCHAIN_UNAVAILABLE', 'KEYCHAIN_LOCKED']);

/** A sign-in that failed on the keychain raises the banner too. */
function keychainFrom(sheet: SignInSheetState | null): WireError | null {
  return sheet?.phase === 'failed' && KEYCHAIN_CODES.has(sheet.error.code) ? sheet.error : null;
}

export function App() {
  const api = useApi();
  const { t, i18n } = useTranslation();
  const [keychain, setKeychain] = useState<WireError | null>(null);
  const report = useCallback((error: WireError) => {
    if (KEYCHAIN_CODES.has(error.code)) setKeychain(error);
  }, []);
  const { snapshot, loadError } = useProfiles(report);
  const signIn = useSignIn();
  const now = useTicker(30_000);
  const [info, setInfo] = useState<AppInfo | undefined>();
  const [form, setForm] = useState<FormMode | null>(null);
  const [roleForm, setRoleForm] = useState(false);
  const [removing, setRemoving] = useState<ProfileView | null>(null);
  const [quick, setQuick] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<WireError | null>(null);
  const filterRef = useRef<HTMLInputElement>(null);

  const profiles = snapshot?.profiles ?? [];
  const active = profiles.find((profile) => profile.active);
  const buckets = useBuckets(active);

  useEffect(() => {
    void api.appInfo().then((result) => result.ok && setInfo(result.value));
  }, [api]);
  useEffect(() => {
    document.documentElement.lang = i18n.language;
  }, [i18n.language]);

  useShortcuts({
    k: () => profiles.length > 0 && setQuick(true),
    f: () => filterRef.current?.focus(),
  });

  /** Runs a call; failures go to the window's error line (and the keychain banner). */
  const attempt = async <T,>(
    call: Promise<{ ok: true; value: T } | { ok: false; error: WireError }>,
  ): Promise<T | undefined> => {
    const result = await call;
    if (result.ok) {
      setFailure(null);
      return result.value;
    }
    report(result.error);
    setFailure(result.error);
    return undefined;
  };

  const activate = async (id: string) => {
    setQuick(false);
    setNotice(null);
    await attempt(api.activateProfile(id));
  };
  const signOut = async (profile: ProfileView) => {
    const result = await attempt(api.signOut(profile.id));
    if (result) setNotice(t(`details.revocation.${result.revocation}`));
  };
  const remove = async (profile: ProfileView): Promise<WireError | null> => {
    const result = await api.removeProfile(profile.id);
    if (!result.ok) return result.error;
    setRemoving(null);
    return null;
  };
  const toggleLanguage = () => {
    const next: Language = i18n.language === 'zh-CN' ? 'en' : 'zh-CN';
    void i18n.changeLanguage(next);
    saveLanguage(next);
  };

  let body;
  if (!snapshot) {
    body = loadError ? <ErrorMessage error={loadError} /> : <p className="muted loading">{t('app.loading')}</p>;
  } else if (profiles.length === 0) {
    body = <FirstRun onChoose={(preset) => setForm({ kind: 'add', preset })} />;
  } else {
    body = (
      <div className="layout">
        <ProfileList
          profiles={profiles}
          now={now}
          onActivate={(id) => void activate(id)}
          onAdd={() => setForm({ kind: 'add', preset: 'cn' })}
          onAddRole={() => setRoleForm(true)}
        />
        <main className="main-pane">
          {failure ? <ErrorMessage error={failure} /> : null}
          {active ? (
            <>
              <ProfileDetails
                profile={active}
                now={now}
                notice={notice}
                onSignIn={() => void signIn.start(active.id)}
                onSignOut={() => void signOut(active)}
                onEdit={() => setForm({ kind: 'edit', profile: active })}
                onRemove={() => setRemoving(active)}
                actions={<ConsoleButton profile={active} />}
              />
              <HubTabs
                profile={active}
                profiles={profiles}
                now={now}
                buckets={
                  <BucketsPane
                    key={active.id}
                    profile={active}
                    state={buckets.state}
                    onRefresh={buckets.refresh}
                    filterRef={filterRef}
                  />
                }
              />
            </>
          ) : null}
        </main>
      </div>
    );
  }

  return (
    <div className="app">
      <TopBar active={active} onQuickSwitch={() => setQuick(true)} onToggleLanguage={toggleLanguage} />
      <Banners keychain={keychain ?? keychainFrom(signIn.sheet)} clockOffsetMs={snapshot?.clockOffsetMs ?? 0} />
      {body}
      <StatusBar />
      {form ? (
        <ProfileForm
          mode={form}
          taken={profiles.map((profile) => profile.name)}
          onCancel={() => setForm(null)}
          onDone={(profile) => {
            setForm(null);
            if (form.kind === 'add') void activate(profile.id);
          }}
        />
      ) : null}
      {roleForm ? (
        <RoleForm
          profiles={profiles}
          {...(active ? { sourceId: active.id } : {})}
          onCancel={() => setRoleForm(false)}
          onDone={({ profile, unchecked }) => {
            setRoleForm(false);
            // The new role becomes the active profile, as an added profile does; then say how it went.
            void activate(profile.id).then(() =>
              setNotice(
                unchecked
                  ? t('roles.unchecked', { name: profile.name, why: t(`errors.${unchecked.code}`) })
                  : t('roles.checked', { name: profile.name }),
              ),
            );
          }}
        />
      ) : null}
      {removing ? (
        <ConfirmRemove profile={removing} onConfirm={() => remove(removing)} onCancel={() => setRemoving(null)} />
      ) : null}
      {quick ? (
        <QuickSwitch profiles={profiles} onPick={(id) => void activate(id)} onClose={() => setQuick(false)} />
      ) : null}
      {signIn.sheet ? (
        <SignInSheet
          sheet={signIn.sheet}
          profile={profiles.find((profile) => profile.id === signIn.sheet?.profileId)}
          demo={info?.demo}
          onCancel={() => void signIn.cancel()}
          onRetry={() => signIn.sheet && void signIn.start(signIn.sheet.profileId)}
        />
      ) : null}
    </div>
  );
}
