/**
 * Integration test worlds: the service-layer world of app-fixture.ts with the integrations wired in as
 * openBaton wires them, against fake Slack, monday.com and SMTP servers on 127.0.0.1.
 */
import type { Baton } from '../../../src/app/handoff-context.ts';
import { wireIntegrations } from '../../../src/app/integrations.ts';
import type { IntegrationsConfig } from '../../../src/app/integrations-config.ts';
import type { Effect } from '../../../src/store/index.ts';
import { listEffects } from '../../../src/store/index.ts';
import type { MondayFake } from '../../integrations/fakes/monday-fake.ts';
import type { SlackFake } from '../../integrations/fakes/slack-fake.ts';
import type { SmtpFake } from '../../integrations/fakes/smtp-fake.ts';

export const slackToken = 'xoxb-4242-4242-fakeslacktoken';
export const mondayToken = 'monday-fake-token-0123456789';
export const smtpUser = 'baton';
export const smtpPass = 'smtp-fake-pass-987';
export const dealItem = '8812345';

export function integrationsConfig(
  fakes: { slack?: SlackFake; monday?: MondayFake; smtp?: SmtpFake },
  overrides: Partial<IntegrationsConfig> = {},
): IntegrationsConfig {
  return {
    publicUrl: 'http://127.0.0.1:8080',
    slack: fakes.slack
      ? {
          token: slackToken,
          signingSecret: undefined,
          apiUrl: fakes.slack.apiUrl,
          channel: '#agent-handoffs',
          attentionChannel: '#agent-handoffs',
          filePathPrefix: '/Claude/',
        }
      : undefined,
    monday: fakes.monday
      ? {
          token: mondayToken,
          apiUrl: fakes.monday.apiUrl,
          apiVersion: '2025-10',
          boardId: '4412093',
          columns: { status: 'status', owner: 'people', discoveryDate: 'date4' },
          handoffStatus: 'Handoff Initiated',
          expectedStatuses: ['Closed Won', 'Handoff Initiated'],
        }
      : undefined,
    email: fakes.smtp ? { url: fakes.smtp.url, from: 'Ecomonetize <carla@ecomonetize.example>' } : undefined,
    people: {
      'Casey Lin': {
        role: 'customer.success',
        mondayId: 4616627,
        slackId: 'U0CASEY',
        email: 'casey@ecomonetize.example',
        displayName: undefined,
      },
      'Carla Reyes': {
        role: 'cro',
        mondayId: undefined,
        slackId: undefined,
        email: 'carla@ecomonetize.example',
        displayName: undefined,
      },
      'Chris Moss': {
        role: 'chief.staff',
        mondayId: undefined,
        slackId: 'U0CHRIS',
        email: undefined,
        displayName: 'Chris (Chief of Staff)',
      },
    },
    maxAttempts: undefined,
    secrets: [slackToken, mondayToken, smtpPass, ...(fakes.smtp ? [fakes.smtp.url] : [])],
    sources: { envFile: undefined, configFile: undefined },
    ...overrides,
  };
}

/** Plugs the integrations into a test Baton the way openBaton does. */
export function wire(baton: Baton, config: IntegrationsConfig): Baton {
  const wired = wireIntegrations(config, {
    root: baton.root,
    db: baton.store.db,
    worker: baton.worker,
    now: baton.now,
  });
  baton.planners = wired.planners;
  baton.handlers = { ...baton.handlers, ...wired.handlers };
  if (wired.crm) baton.crm = wired.crm;
  else delete baton.crm;
  baton.integrations = config;
  return baton;
}

export async function effectsOf(baton: Baton, status?: Effect['status']): Promise<Effect[]> {
  return listEffects(baton.store.db, status ? { status } : {});
}
