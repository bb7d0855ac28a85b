/**
 * Integration settings: secrets and endpoints from the environment (a `.env` file is read when present,
 * without overriding variables already set), ids and people from a config file (`BATON_CONFIG`, else
 * `<root>/.baton/config.json`). An integration without its token is not configured, and its effects go
 * to the embedded notification log. Every problem names the variable or key at fault, never a value.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import type { Role } from '../domain/workflow/index.ts';
import { AppError } from './errors.ts';

export const defaultPublicUrl = 'http://127.0.0.1:8080';
export const defaultSlackChannel = '#agent-handoffs';
export const defaultHandoffStatus = 'Handoff Initiated';
export const defaultExpectedStatuses = ['Closed Won', 'Handoff Initiated'];

export interface SlackConfig {
  token: string;
  signingSecret: string | undefined;
  apiUrl: string | undefined;
  /** Where Rule 6 posts go: a name (`#agent-handoffs`) or a channel id. */
  channel: string;
  /** Where escalations, incidents and missed clocks go (the Chief of Staff's); default `channel`. */
  attentionChannel: string;
  /** Put before the root-relative packet path in "File path:" (e.g. `/Claude/`). */
  filePathPrefix: string;
}

export interface MondayConfig {
  token: string;
  apiUrl: string | undefined;
  apiVersion: string | undefined;
  boardId: string;
  columns: { status: string; owner: string | undefined; discoveryDate: string | undefined };
  /** The status label set at submission. */
  handoffStatus: string;
  /** Statuses the gate accepts for the deal item (before and after baton's own update). */
  expectedStatuses: string[];
}

export interface EmailConfig {
  url: string;
  from: string;
}

export interface PersonConfig {
  role: Role | undefined;
  mondayId: number | undefined;
  slackId: string | undefined;
  email: string | undefined;
  displayName: string | undefined;
}

export interface IntegrationsConfig {
  /** The dashboard's address, for links in messages. */
  publicUrl: string;
  slack: SlackConfig | undefined;
  monday: MondayConfig | undefined;
  email: EmailConfig | undefined;
  /** baton user name -> how the integrations know them. */
  people: Record<string, PersonConfig>;
  /** Outbox tries before an effect goes to the dead-letter list, when set. */
  maxAttempts: number | undefined;
  /** Every secret value, to take out of any text that leaves the process. */
  secrets: string[];
  sources: { envFile: string | undefined; configFile: string | undefined };
}

export type Vars = Record<string, string | undefined>;

/** The environment with a `.env` file's variables added under it (set variables win). */
export function withEnvFile(vars: Vars, cwd: string): { vars: Vars; envFile: string | undefined } {
  const file = vars.BATON_ENV_FILE ? resolve(cwd, vars.BATON_ENV_FILE) : join(cwd, '.env');
  if (!existsSync(file)) {
    if (vars.BATON_ENV_FILE)
      throw new AppError('bad-input', `BATON_ENV_FILE: no file at ${file}`, 'BATON_ENV_FILE');
    return { vars, envFile: undefined };
  }
  const fromFile = parseEnv(readFileSync(file, 'utf8')) as Vars;
  const merged: Vars = { ...fromFile };
  for (const [key, value] of Object.entries(vars)) if (value !== undefined) merged[key] = value;
  return { vars: merged, envFile: file };
}

function httpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** The config file's shape, as zod sees it (loaded only when there is a file). */
async function configFileSchema() {
  const { z } = await import('zod');
  const { roles } = await import('../domain/workflow/index.ts');
  const id = z
    .union([z.string().regex(/^\d+$/, 'digits only'), z.number().int().positive()])
    .transform(String);
  const columnId = z.string().regex(/^[A-Za-z0-9_]+$/, 'a monday.com column id, e.g. status or date4');
  const channel = z
    .string()
    .regex(
      /^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/,
      'a channel name like #agent-handoffs or an id like C0123ABCD',
    );
  return z.strictObject({
    slack: z
      .strictObject({
        channel: channel.optional(),
        attentionChannel: channel.optional(),
        filePathPrefix: z.string().max(200).optional(),
      })
      .optional(),
    monday: z
      .strictObject({
        boardId: id,
        apiVersion: z
          .string()
          .regex(/^\d{4}-\d{2}$/, 'a monday.com API version such as 2025-10')
          .optional(),
        columns: z.strictObject({
          status: columnId,
          owner: columnId.optional(),
          discoveryDate: columnId.optional(),
        }),
        handoffStatus: z.string().trim().min(1).optional(),
        expectedStatuses: z.array(z.string().trim().min(1)).min(1).optional(),
      })
      .optional(),
    people: z
      .record(
        z.string().trim().min(1),
        z.strictObject({
          role: z.enum(roles).optional(),
          mondayId: z.number().int().positive().optional(),
          slackId: z
            .string()
            .regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack user id like U0123ABCD')
            .optional(),
          email: z.email('an email address').optional(),
          displayName: z.string().trim().min(1).max(200).optional(),
        }),
      )
      .optional(),
    delivery: z.strictObject({ maxAttempts: z.number().int().min(1).max(100).optional() }).optional(),
  });
}

type ConfigFile =
  Awaited<ReturnType<typeof configFileSchema>> extends { parse(v: unknown): infer T } ? T : never;

async function readConfigFile(file: string, problems: string[]): Promise<ConfigFile | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    problems.push(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
    return undefined;
  }
  const schema = await configFileSchema();
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    const secretHint =
      issue.code === 'unrecognized_keys' && issue.keys.some((k) => /token|secret|password/i.test(k))
        ? ' (secrets come from the environment, never the config file)'
        : '';
    problems.push(`${file}: ${path || '(top level)'}: ${issue.message}${secretHint}`);
  }
  return undefined;
}

/**
 * Reads the integration settings. Returns the problems instead of throwing, for `baton doctor`;
 * `loadIntegrationsConfig` throws them.
 */
export async function readIntegrationsConfig(options: {
  vars: Vars;
  root: string;
  cwd: string;
}): Promise<{ config: IntegrationsConfig; problems: string[] }> {
  const problems: string[] = [];
  let vars = options.vars;
  let envFile: string | undefined;
  try {
    ({ vars, envFile } = withEnvFile(options.vars, options.cwd));
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  const configFile = vars.BATON_CONFIG
    ? resolve(options.cwd, vars.BATON_CONFIG)
    : join(resolve(options.root), '.baton', 'config.json');
  const hasFile = existsSync(configFile);
  if (vars.BATON_CONFIG && !hasFile) problems.push(`BATON_CONFIG: no file at ${configFile}`);
  const file = hasFile ? await readConfigFile(configFile, problems) : undefined;

  const publicUrl = vars.BATON_PUBLIC_URL ?? defaultPublicUrl;
  if (!httpUrl(publicUrl))
    problems.push('BATON_PUBLIC_URL: must be an http(s) URL, e.g. https://baton.example.com');
  const secrets: string[] = [];

  let maxAttempts = file?.delivery?.maxAttempts;
  if (vars.BATON_OUTBOX_MAX_ATTEMPTS !== undefined) {
    const n = Number(vars.BATON_OUTBOX_MAX_ATTEMPTS);
    if (!Number.isInteger(n) || n < 1 || n > 100)
      problems.push('BATON_OUTBOX_MAX_ATTEMPTS: must be a whole number from 1 to 100');
    else maxAttempts = n;
  }

  let slack: SlackConfig | undefined;
  const slackToken = vars.SLACK_BOT_TOKEN?.trim();
  if (vars.SLACK_SIGNING_SECRET) secrets.push(vars.SLACK_SIGNING_SECRET);
  if (slackToken) {
    secrets.push(slackToken);
    if (!/^xox[bp]-[A-Za-z0-9-]+$/.test(slackToken))
      problems.push('SLACK_BOT_TOKEN: not a Slack bot token (it starts with xoxb-)');
    const apiUrl = vars.BATON_SLACK_API_URL;
    if (apiUrl !== undefined && !httpUrl(apiUrl))
      problems.push('BATON_SLACK_API_URL: must be an http(s) URL, e.g. https://slack.com/api/');
    const channel = vars.BATON_SLACK_CHANNEL ?? file?.slack?.channel ?? defaultSlackChannel;
    if (!/^(#?[a-z0-9][a-z0-9._-]{0,79}|[CGD][A-Z0-9]{6,})$/.test(channel))
      problems.push('BATON_SLACK_CHANNEL: a channel name like #agent-handoffs or an id like C0123ABCD');
    slack = {
      token: slackToken,
      signingSecret: vars.SLACK_SIGNING_SECRET,
      apiUrl,
      channel,
      attentionChannel: file?.slack?.attentionChannel ?? channel,
      filePathPrefix: file?.slack?.filePathPrefix ?? '',
    };
  }

  let monday: MondayConfig | undefined;
  const mondayToken = vars.MONDAY_API_TOKEN?.trim();
  if (mondayToken) {
    secrets.push(mondayToken);
    const apiUrl = vars.BATON_MONDAY_API_URL;
    if (apiUrl !== undefined && !httpUrl(apiUrl))
      problems.push('BATON_MONDAY_API_URL: must be an http(s) URL, e.g. https://api.monday.com/v2');
    if (!file?.monday)
      problems.push(
        `monday.boardId and monday.columns.status: required in ${configFile} when MONDAY_API_TOKEN is set`,
      );
    else
      monday = {
        token: mondayToken,
        apiUrl,
        apiVersion: vars.BATON_MONDAY_API_VERSION ?? file.monday.apiVersion,
        boardId: file.monday.boardId,
        columns: {
          status: file.monday.columns.status,
          owner: file.monday.columns.owner,
          discoveryDate: file.monday.columns.discoveryDate,
        },
        handoffStatus: file.monday.handoffStatus ?? defaultHandoffStatus,
        expectedStatuses: file.monday.expectedStatuses ?? defaultExpectedStatuses,
      };
  }

  let email: EmailConfig | undefined;
  const smtpUrl = vars.SMTP_URL?.trim();
  if (smtpUrl) {
    secrets.push(smtpUrl);
    try {
      const url = new URL(smtpUrl);
      if (url.password) secrets.push(decodeURIComponent(url.password));
      if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
        problems.push(
          'SMTP_URL: must start with smtp:// or smtps://, e.g. smtps://user:password@smtp.example.com:465',
        );
    } catch {
      problems.push('SMTP_URL: not a URL; write e.g. smtps://user:password@smtp.example.com:465');
    }
    const from = vars.BATON_MAIL_FROM?.trim();
    if (!from)
      problems.push(
        'BATON_MAIL_FROM: required when SMTP_URL is set, e.g. "Ecomonetize <cro@ecomonetize.com>"',
      );
    else if (!/^[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+$|<[^<>@\s]+@[^<>@\s]+\.[^<>@\s]+>$/.test(from))
      problems.push('BATON_MAIL_FROM: not an email address, e.g. "Ecomonetize <cro@ecomonetize.com>"');
    else email = { url: smtpUrl, from };
  }

  const people: Record<string, PersonConfig> = {};
  for (const [name, p] of Object.entries(file?.people ?? {}))
    people[name] = {
      role: p.role,
      mondayId: p.mondayId,
      slackId: p.slackId,
      email: p.email,
      displayName: p.displayName,
    };

  return {
    config: {
      publicUrl: publicUrl.replace(/\/+$/, ''),
      slack,
      monday,
      email,
      people,
      maxAttempts,
      secrets,
      sources: { envFile, configFile: hasFile ? configFile : undefined },
    },
    problems,
  };
}

/** The settings, or an AppError naming every variable or key at fault (run `baton doctor` for more). */
export async function loadIntegrationsConfig(options: {
  vars: Vars;
  root: string;
  cwd: string;
}): Promise<IntegrationsConfig> {
  const { config, problems } = await readIntegrationsConfig(options);
  if (problems.length > 0) {
    const first = problems[0]?.split(':')[0];
    throw new AppError(
      'bad-input',
      `integration settings: ${problems.join('; ')} (baton doctor checks them)`,
      first,
    );
  }
  return config;
}
