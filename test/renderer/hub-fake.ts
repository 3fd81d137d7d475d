import type {
  AuditEntryView,
  BrokerProfileView,
  Channel,
  CliLinkPreview,
  CliStatusView,
  ExpiryOverview,
  ImportDone,
  ImportPreviewView,
  Result,
} from '../../shared/contract';
import { FakeApp } from './fake-api';

export const SECRET = 'S3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tS3cr3tX';

/** FakeApp that answers the hub's channels too, from fields a test sets. */
export class HubFake extends FakeApp {
  brokerViews = new Map<string, BrokerProfileView>();
  cli: CliStatusView = { configPath: '/home/ana/.aliyun/config.json', links: [] };
  /** What previews and links say of the External command's program (null: found). */
  programMissing: string | null = null;
  /** Each preview asked for, answered by this. */
  preview: (request: { id: string; mode: 'external' | 'uri'; cliProfile?: string }) => CliLinkPreview = (request) => ({
    configPath: '/home/ana/.aliyun/config.json',
    cliProfile: request.cliProfile ?? 'x',
    created: false,
    previousMode: 'OAuth',
    newSecret: false,
    programMissing: request.mode === 'external' ? this.programMissing : null,
    changes: [
      {
        scope: 'profile',
        field: 'mode',
        action: 'set',
        before: 'OAuth',
        after: request.mode === 'uri' ? 'CredentialsURI' : 'External',
      },
      request.mode === 'uri'
        ? {
            scope: 'profile',
            field: 'credentials_uri',
            action: 'add',
            after: 'http://127.0.0.1:7878/v1/credentials/id/••••••••',
          }
        : {
            scope: 'profile',
            field: 'process_command',
            action: 'add',
            after: `alicloud-signin credentials ${request.id}`,
          },
    ],
  });
  importPreview: ImportPreviewView = { configPath: '/home/ana/.aliyun/config.json', items: [] };
  importDone: ImportDone = { configPath: '/home/ana/.aliyun/config.json', items: [], scrubbed: [], backup: null };
  audit: AuditEntryView[] = [];
  expiry: ExpiryOverview = { at: new Date().toISOString(), rows: [] };

  brokerView(id: string): BrokerProfileView {
    return (
      this.brokerViews.get(id) ?? {
        profileId: id,
        enabled: true,
        maskedUrl: null,
        lastServed: null,
        servedToday: 0,
        lastProblem: null,
      }
    );
  }

  protected override async other(channel: Channel, request: unknown): Promise<Result<unknown>> {
    const id = (request as { id?: string }).id ?? '';
    switch (channel) {
      case 'broker:profile':
        return { ok: true, value: this.brokerView(id) };
      case 'broker:switch': {
        const view = { ...this.brokerView(id), enabled: (request as { on: boolean }).on };
        this.brokerViews.set(id, view);
        return { ok: true, value: view };
      }
      case 'broker:reveal-url':
        this.brokerViews.set(id, {
          ...this.brokerView(id),
          maskedUrl: `http://127.0.0.1:7878/v1/credentials/${id}/••••••••`,
        });
        return { ok: true, value: { url: `http://127.0.0.1:7878/v1/credentials/${id}/${SECRET}` } };
      case 'broker:copy-url':
        return { ok: true, value: { copied: true } };
      case 'broker:rotate':
        return { ok: true, value: { profile: this.brokerView(id), relinked: ['prod'] } };
      case 'cli:preview-link':
        return {
          ok: true,
          value: this.preview(request as { id: string; mode: 'external' | 'uri'; cliProfile?: string }),
        };
      case 'cli:link': {
        const { cliProfile } = request as { cliProfile: string };
        return {
          ok: true,
          value: {
            configPath: this.cli.configPath,
            cliProfile,
            changed: true,
            backup: '/home/ana/.aliyun/config.json.bak',
            previousMode: 'OAuth',
            wrapper: null,
            programMissing: this.programMissing,
          },
        };
      }
      case 'cli:status':
        return { ok: true, value: this.cli };
      case 'cli:fix':
        this.cli = {
          ...this.cli,
          links: this.cli.links.map((l) => ({ ...l, intact: true, problems: [] })),
          fixed: this.cli.links.filter((l) => !l.intact).map((l) => l.name),
          backup: null,
        };
        return { ok: true, value: this.cli };
      case 'cli:preview-import':
        return { ok: true, value: this.importPreview };
      case 'cli:import':
        return { ok: true, value: this.importDone };
      case 'console:open':
        return { ok: true, value: { opened: true } };
      case 'audit:list':
        return { ok: true, value: { entries: this.audit } };
      case 'expiry:overview':
        return { ok: true, value: this.expiry };
      default:
        return super.other(channel, request);
    }
  }
}
