/**
 * The messages baton posts to Slack, as Block Kit plus the plain `text` Slack shows in notifications.
 * Every piece of text that comes from a packet or a person goes through escapeMrkdwn; only ids that
 * configuration validated become mentions.
 */
import { escapeMrkdwn, mention, truncateMrkdwn } from './mrkdwn.ts';

export interface SlackBlock {
  type: string;
  [key: string]: unknown;
}

export interface SlackMessage {
  /** The notification text (and what clients without blocks show). */
  text: string;
  blocks: SlackBlock[];
}

/** Block Kit: a section's text is at most 3,000 characters; a button's text 75; its URL 3,000. */
const sectionMax = 3000;
const textMax = 4000;

function section(mrkdwn: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncateMrkdwn(mrkdwn, sectionMax) } };
}

function openButton(sow: string, url: string | undefined): SlackBlock[] {
  if (!url) return [];
  return [
    {
      type: 'actions',
      block_id: 'baton_links',
      elements: [
        {
          type: 'button',
          action_id: 'baton_open_handoff',
          text: { type: 'plain_text', text: `Open ${sow} in baton`.slice(0, 75), emoji: false },
          url,
        },
      ],
    },
  ];
}

function message(
  lines: string[],
  sow: string,
  url: string | undefined,
  extra: SlackBlock[] = [],
): SlackMessage {
  const text = truncateMrkdwn(lines.join('\n'), textMax);
  return { text, blocks: [section(text), ...extra, ...openButton(sow, url)] };
}

const mentions = (ids: readonly string[]): string => ids.map(mention).join(' ');

/** Rule 6 of the SOP, exactly as handoff-rules.md "Notifications" gives it. */
export function submissionMessage(input: {
  sow: string;
  filePath: string;
  dashboardUrl?: string;
}): SlackMessage {
  return message(
    [
      'For: customer.success',
      'Type: Assessment Handoff Packet',
      `File path: ${escapeMrkdwn(input.filePath)}`,
      'Blocking: Yes -- discovery session scheduling blocked until acknowledged',
    ],
    input.sow,
    input.dashboardUrl,
  );
}

/** Section 6's rejection post: `Handoff packet SOW-YYYY-NNN rejected -- <failed checks>`. */
export function rejectionMessage(input: {
  sow: string;
  checks: readonly string[];
  reason?: string;
  by: string;
  dashboardUrl?: string;
}): SlackMessage {
  const what = escapeMrkdwn(input.checks.length > 0 ? input.checks.join(', ') : (input.reason ?? ''));
  const lines = [`Handoff packet ${input.sow} rejected -- ${what}`];
  if (input.reason && input.checks.length > 0) lines.push(`Reason: ${escapeMrkdwn(input.reason)}`);
  lines.push(`Rejected by ${escapeMrkdwn(input.by)}; the CRO has 1 business day to remediate and resubmit.`);
  return message(lines, input.sow, input.dashboardUrl);
}

export function acknowledgementMessage(input: {
  sow: string;
  by: string;
  dashboardUrl?: string;
}): SlackMessage {
  return message(
    [
      `Handoff packet ${input.sow} acknowledged by ${escapeMrkdwn(input.by)}`,
      'Discovery session scheduling is unblocked.',
    ],
    input.sow,
    input.dashboardUrl,
  );
}

export function discoveryScheduledMessage(input: {
  sow: string;
  when: string;
  by: string;
  dashboardUrl?: string;
}): SlackMessage {
  return message(
    [
      `Discovery session for ${input.sow} scheduled for ${escapeMrkdwn(input.when)} by ${escapeMrkdwn(input.by)}`,
    ],
    input.sow,
    input.dashboardUrl,
  );
}

/** Escalations, incidents and missed clocks: addressed to roles (Chief of Staff, CEO), mentioning the people configured for them. */
export function attentionMessage(input: {
  sow: string;
  headline: string;
  details: readonly string[];
  forRoles: readonly string[];
  mentionIds: readonly string[];
  dashboardUrl?: string;
}): SlackMessage {
  const who = input.mentionIds.length > 0 ? ` ${mentions(input.mentionIds)}` : '';
  return message(
    [
      `For: ${input.forRoles.join(', ')}${who}`,
      escapeMrkdwn(input.headline),
      ...input.details.map((d) => escapeMrkdwn(d)),
    ],
    input.sow,
    input.dashboardUrl,
  );
}
