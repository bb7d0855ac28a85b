/**
 * Slack's own escaping rules for text it parses (api.slack.com "Formatting text for app surfaces"): only
 * `&`, `<` and `>` are control characters, and escaping them is enough to keep text from becoming a
 * mention (`<!channel>`, `<@U123>`), a channel link or a link with a misleading label (`<http://x|y>`).
 * `@channel` written as plain text is not a mention for API posts (link_names is off), so it stays text.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Cuts escaped text to at most `max` characters on a whole entity (never leaving `&am`), marking the cut.
 * Block Kit refuses a section text over 3,000 characters.
 */
export function truncateMrkdwn(escaped: string, max: number): string {
  if (escaped.length <= max) return escaped;
  let cut = escaped.slice(0, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.slice(amp).includes(';')) cut = cut.slice(0, amp);
  return `${cut}…`;
}

/** A user or channel reference we write ourselves, from an id that configuration validated. */
export function mention(slackUserId: string): string {
  if (!/^[UW][A-Z0-9]{2,}$/.test(slackUserId)) throw new Error(`not a Slack user id: ${slackUserId}`);
  return `<@${slackUserId}>`;
}
