/**
 * SMTP through nodemailer: one message per effect, with a Message-ID derived from the effect id (so a
 * resend after a crash is recognisably the same message), timeouts well under the outbox lease, and
 * errors classified by SMTP reply code (4xx: try again later; 5xx: refused).
 */
import type { SendMailOptions, SMTPTransportOptions, Transporter } from 'nodemailer';
import { IntegrationError } from '../integration-error.ts';

export interface MailAddress {
  name: string;
  email: string;
}

export interface OutgoingMail {
  to: MailAddress[];
  cc?: MailAddress[];
  replyTo?: MailAddress;
  subject: string;
  text: string;
  html: string;
  /** Without angle brackets: `effect-id@domain`. */
  messageId: string;
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ accepted: string[]; rejected: string[] }>;
  verify(): Promise<void>;
  close(): void;
}

/** `user:password@` taken out of an SMTP URL, for messages and `baton doctor`. */
export function maskSmtpUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}

const transientCodes = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPROTOCOL',
]);

export function mailError(what: string, error: unknown): IntegrationError {
  if (error instanceof IntegrationError) return error;
  const e = error as Error & { code?: string; responseCode?: number; command?: string };
  const code = e.code;
  const reply = e.responseCode;
  if (code === 'EAUTH')
    return new IntegrationError(
      'email',
      `SMTP ${what}: the server refused the login${reply ? ` (${reply})` : ''}; check the user and password in SMTP_URL`,
      {
        retryable: false,
        code,
      },
    );
  if (reply !== undefined) {
    const retryable = reply >= 400 && reply < 500;
    return new IntegrationError(
      'email',
      `SMTP ${what}: the server answered ${reply}${e.command ? ` to ${e.command}` : ''}${retryable ? ' (temporary)' : ''}`,
      { retryable, code: String(reply) },
    );
  }
  if (code === 'EENVELOPE')
    return new IntegrationError('email', `SMTP ${what}: no valid recipient`, { retryable: false, code });
  const retryable = code === undefined || transientCodes.has(code);
  return new IntegrationError(
    'email',
    `SMTP ${what}: ${code ?? 'error'}${retryable ? ' (could not reach the server)' : ''}`,
    {
      retryable,
      ...(code ? { code } : {}),
    },
  );
}

const address = (a: MailAddress) => ({ name: a.name, address: a.email });

export async function createMailer(options: {
  url: string;
  from: string;
  timeoutMs?: number;
}): Promise<Mailer> {
  const nodemailer = await import('nodemailer');
  const timeout = options.timeoutMs ?? 15_000;
  const transportOptions: SMTPTransportOptions = {
    url: options.url,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  };
  const transport: Transporter = nodemailer.createTransport(transportOptions);
  return {
    async send(mail) {
      const message: SendMailOptions = {
        from: options.from,
        to: mail.to.map(address),
        ...(mail.cc && mail.cc.length > 0 ? { cc: mail.cc.map(address) } : {}),
        ...(mail.replyTo ? { replyTo: address(mail.replyTo) } : {}),
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: `<${mail.messageId}>`,
        disableUrlAccess: true,
        disableFileAccess: true,
      };
      try {
        const info = await transport.sendMail(message);
        const list = (v: unknown) =>
          Array.isArray(v)
            ? v.map((x) => (typeof x === 'string' ? x : String((x as { address?: string }).address)))
            : [];
        return { accepted: list(info.accepted), rejected: list(info.rejected) };
      } catch (error) {
        throw mailError('send', error);
      }
    },
    async verify() {
      try {
        await transport.verify();
      } catch (error) {
        throw mailError('verify', error);
      }
    },
    close() {
      transport.close();
    },
  };
}
