/**
 * `baton doctor`: checks each configured integration against the real service (Slack auth.test and the
 * channel's history, a monday.com `me` query and the board's columns, SMTP verify) and says exactly what
 * is wrong. Every message goes through redactSecrets: nothing it prints carries a token or a password.
 */
import { maskSmtpUrl } from '../integrations/email/mailer.ts';
import { boardColumns, me } from '../integrations/monday/monday-api.ts';
import { defaultMondayApiVersion } from '../integrations/monday/monday-client.ts';
import { mondayClientOf, slackClientOf } from './integrations.ts';
import { type IntegrationsConfig, readIntegrationsConfig, type Vars } from './integrations-config.ts';
import { redactSecrets } from './redact.ts';

export type DoctorStatus = 'ok' | 'warning' | 'problem' | 'not configured';

export interface DoctorCheck {
  integration: 'settings' | 'slack' | 'monday' | 'email';
  status: DoctorStatus;
  message: string;
}

export interface DoctorReport {
  /** False when any check found a problem (warnings do not count). */
  ok: boolean;
  checks: DoctorCheck[];
}

const errorText = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function checkSlack(config: IntegrationsConfig, out: DoctorCheck[]): Promise<void> {
  const slack = config.slack;
  if (!slack) {
    out.push({
      integration: 'slack',
      status: 'not configured',
      message: 'SLACK_BOT_TOKEN is not set: Slack posts go to the notification log (baton notifications)',
    });
    return;
  }
  const client = await slackClientOf(slack);
  try {
    const who = await client.authTest();
    out.push({
      integration: 'slack',
      status: 'ok',
      message: `auth.test: the token works, as ${who.user} in ${who.team}${slack.apiUrl ? ` (${slack.apiUrl})` : ''}`,
    });
    if (who.scopes) {
      if (!who.scopes.includes('chat:write'))
        out.push({
          integration: 'slack',
          status: 'problem',
          message:
            'the token lacks the chat:write scope: baton cannot post; add it to the Slack app and reinstall',
        });
      if (!who.scopes.some((s) => s === 'channels:history' || s === 'groups:history'))
        out.push({
          integration: 'slack',
          status: 'warning',
          message:
            'the token lacks channels:history (groups:history for a private channel): after a crash baton cannot check whether a post already went out, so it may post twice',
        });
    }
  } catch (e) {
    out.push({ integration: 'slack', status: 'problem', message: errorText(e) });
    return;
  }
  for (const channel of new Set([slack.channel, slack.attentionChannel]))
    try {
      await client.canReadHistory(channel);
      out.push({
        integration: 'slack',
        status: 'ok',
        message: `channel ${channel}: found, and baton can read it`,
      });
    } catch (e) {
      const missingScope = errorText(e).includes('missing_scope');
      out.push({
        integration: 'slack',
        status: missingScope ? 'warning' : 'problem',
        message: `channel ${channel}: ${errorText(e)}`,
      });
    }
}

async function checkMonday(config: IntegrationsConfig, out: DoctorCheck[]): Promise<void> {
  const monday = config.monday;
  if (!monday) {
    out.push({
      integration: 'monday',
      status: 'not configured',
      message:
        'MONDAY_API_TOKEN is not set: monday.com updates go to the notification log, and the gate marks crm-item-exists for review',
    });
    return;
  }
  const client = mondayClientOf(monday, 10_000);
  try {
    const user = await me(client);
    out.push({
      integration: 'monday',
      status: 'ok',
      message: `me: the token works, as ${user.name} <${user.email}>${user.account ? ` in ${user.account.name}` : ''} (API-Version ${monday.apiVersion ?? defaultMondayApiVersion})`,
    });
  } catch (e) {
    out.push({ integration: 'monday', status: 'problem', message: errorText(e) });
    return;
  }
  try {
    const board = await boardColumns(client, monday.boardId);
    if (!board) {
      out.push({
        integration: 'monday',
        status: 'problem',
        message: `monday.boardId: no board ${monday.boardId} that the token can see`,
      });
      return;
    }
    const wanted: [string, string | undefined, string][] = [
      ['status', monday.columns.status, 'status'],
      ['owner', monday.columns.owner, 'people'],
      ['discoveryDate', monday.columns.discoveryDate, 'date'],
    ];
    const problems: string[] = [];
    for (const [key, id, type] of wanted) {
      if (!id) continue;
      const column = board.columns.find((c) => c.id === id);
      if (!column) problems.push(`monday.columns.${key}: board "${board.name}" has no column ${id}`);
      else if (column.type !== type)
        problems.push(
          `monday.columns.${key}: column ${id} ("${column.title}") is a ${column.type} column, not ${type}`,
        );
    }
    for (const p of problems) out.push({ integration: 'monday', status: 'problem', message: p });
    if (problems.length === 0)
      out.push({
        integration: 'monday',
        status: 'ok',
        message: `board ${monday.boardId} "${board.name}": the configured columns are there`,
      });
    const owners = Object.values(config.people).filter((p) => p.role === 'customer.success' && p.mondayId);
    if (monday.columns.owner && owners.length === 0)
      out.push({
        integration: 'monday',
        status: 'warning',
        message:
          'people: no customer.success person has a mondayId, so the owner column is left as it is at submission',
      });
  } catch (e) {
    out.push({ integration: 'monday', status: 'problem', message: errorText(e) });
  }
}

async function checkEmail(config: IntegrationsConfig, out: DoctorCheck[]): Promise<void> {
  const email = config.email;
  if (!email) {
    out.push({
      integration: 'email',
      status: 'not configured',
      message: 'SMTP_URL is not set: the warm introduction email goes to the notification log',
    });
    return;
  }
  const { createMailer } = await import('../integrations/email/mailer.ts');
  const mailer = await createMailer({ ...email, timeoutMs: 10_000 });
  try {
    await mailer.verify();
    out.push({
      integration: 'email',
      status: 'ok',
      message: `SMTP verify: ${maskSmtpUrl(email.url)} accepted the connection${new URL(email.url).username ? ' and the login' : ''}`,
    });
  } catch (e) {
    out.push({
      integration: 'email',
      status: 'problem',
      message: `${errorText(e)} (${maskSmtpUrl(email.url)})`,
    });
  } finally {
    mailer.close();
  }
}

export async function runDoctor(options: { vars: Vars; root: string; cwd: string }): Promise<DoctorReport> {
  const { config, problems } = await readIntegrationsConfig(options);
  const checks: DoctorCheck[] = problems.map((message) => ({
    integration: 'settings',
    status: 'problem',
    message,
  }));
  if (problems.length === 0)
    checks.push({
      integration: 'settings',
      status: 'ok',
      message: `read ${[config.sources.envFile ?? 'no .env file', config.sources.configFile ?? 'no config file'].join(' and ')}; dashboard links go to ${config.publicUrl}`,
    });
  await Promise.all([checkSlack(config, checks), checkMonday(config, checks), checkEmail(config, checks)]);
  const order = ['settings', 'slack', 'monday', 'email'];
  const sorted = checks
    .map((c, i) => ({ c, i }))
    .sort((a, b) => order.indexOf(a.c.integration) - order.indexOf(b.c.integration) || a.i - b.i)
    .map(({ c }) => ({ ...c, message: redactSecrets(c.message, config.secrets) }));
  return { ok: !sorted.some((c) => c.status === 'problem'), checks: sorted };
}
