import { createRequire } from 'node:module';

/** The request @alicloud/credentials' RAM-role provider hands to its HTTP client. */
export interface LibraryRequest {
  method: string;
  queries: Record<string, string>;
  bodyForm: Record<string, string>;
  headers: Record<string, string>;
}

interface LibraryResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface RamRoleProvider {
  /** The library's own seam for tests (it names it "used for mock"): where the request goes. */
  doRequest: (request: LibraryRequest) => Promise<LibraryResponse>;
  getCredentials(): Promise<{ accessKeyId: string; accessKeySecret: string; securityToken: string }>;
}

interface RamBuilder {
  withCredentialsProvider(provider: unknown): RamBuilder;
  withRoleArn(arn: string): RamBuilder;
  withRoleSessionName(name: string): RamBuilder;
  withDurationSeconds(seconds: number): RamBuilder;
  withStsEndpoint(host: string): RamBuilder;
  withExternalId(id: string): RamBuilder;
  build(): RamRoleProvider;
}

interface StaticBuilder {
  withAccessKeyId(id: string): StaticBuilder;
  withAccessKeySecret(secret: string): StaticBuilder;
  withSecurityToken(token: string): StaticBuilder;
  build(): unknown;
}

const require = createRequire(import.meta.url);

/** Alibaba's RAM-role credentials provider on top of static STS source credentials. */
export function ramRoleProvider(
  source: { accessKeyId: string; accessKeySecret: string; securityToken: string },
  role: { arn: string; sessionName: string; durationSeconds: number; stsHost: string; externalId?: string },
): RamRoleProvider {
  const { default: Ram } = require('@alicloud/credentials/dist/src/providers/ram_role_arn') as {
    default: { builder(): RamBuilder };
  };
  const { default: Static } = require('@alicloud/credentials/dist/src/providers/static_sts') as {
    default: { builder(): StaticBuilder };
  };
  const builder = Ram.builder()
    .withCredentialsProvider(
      Static.builder()
        .withAccessKeyId(source.accessKeyId)
        .withAccessKeySecret(source.accessKeySecret)
        .withSecurityToken(source.securityToken)
        .build(),
    )
    .withRoleArn(role.arn)
    .withRoleSessionName(role.sessionName)
    .withDurationSeconds(role.durationSeconds)
    .withStsEndpoint(role.stsHost);
  return (role.externalId ? builder.withExternalId(role.externalId) : builder).build();
}
