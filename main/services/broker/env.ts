/** The aliyun CLI and Alibaba's SDKs turn off External and CredentialsURI modes when this is 1 or true. */
const DISABLE_EXTERNAL_ENV = 'ALIBABA_CLOUD_DISABLE_EXTERNAL_PROCESS';

/** A warning in plain words when the environment turns both broker modes off, else undefined. */
export function externalProcessWarning(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[DISABLE_EXTERNAL_ENV]?.trim();
  if (!value) return undefined;
  if (value === '1' || value.toLowerCase() === 'true') {
    return (
      `${DISABLE_EXTERNAL_ENV}=${value} is set: the aliyun CLI and Alibaba's SDKs will neither run ` +
      'process_command (External mode) nor fetch credentials_uri (CredentialsURI mode) while it is. ' +
      `Unset it where you want them to use alicloud-signin.`
    );
  }
  return `${DISABLE_EXTERNAL_ENV} is set to "${value}"; only 1 or true turn External and CredentialsURI modes off, so it has no effect.`;
}
