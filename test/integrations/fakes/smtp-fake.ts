/**
 * An SMTP server on 127.0.0.1 (smtp-server) that requires AUTH, parses each message with mailparser and
 * records it. Faults: 'error' answers DATA with 451 (try later), 'rate-limit' refuses the connection with
 * 421, 'slow' delays the DATA answer, 'drop' closes the connection at connect, 'drop-after' accepts the
 * message and then closes the connection before answering (the client cannot know it was delivered).
 */
import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { delay, Faults } from './faults.ts';

export interface ReceivedMail {
  messageId: string | undefined;
  from: string;
  to: string[];
  cc: string[];
  replyTo: string | undefined;
  subject: string | undefined;
  text: string | undefined;
  html: string | false;
  envelopeTo: string[];
  headers: ParsedMail['headers'];
  storedAt: number;
}

export interface SmtpFake {
  /** smtp://user:pass@127.0.0.1:port */
  url: string;
  messages: ReceivedMail[];
  logins: { user: string; ok: boolean }[];
  faults: Faults;
  close(): Promise<void>;
}

const addresses = (value: ParsedMail['to']): string[] => {
  if (!value) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.flatMap((a) => a.value.map((v) => v.address ?? ''));
};

export async function startSmtpFake(options: { user: string; pass: string }): Promise<SmtpFake> {
  const messages: ReceivedMail[] = [];
  const logins: SmtpFake['logins'] = [];
  const faults = new Faults();
  const pending = new Map<string, ReturnType<Faults['take']>>();
  const smtpError = (message: string, responseCode: number) =>
    Object.assign(new Error(message), { responseCode });

  const server: SMTPServer = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    logger: false,
    onConnect(session, callback) {
      const taken = faults.take();
      if (taken.fault?.kind === 'drop') {
        for (const connection of (
          server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
        ).connections)
          if (connection.id === session.id) connection._socket.destroy();
        return;
      }
      if (taken.fault?.kind === 'rate-limit')
        return callback(smtpError('Too many connections, try again later', 421));
      pending.set(session.id, taken);
      callback();
    },
    onAuth(auth, _session, callback) {
      const ok = auth.username === options.user && auth.password === options.pass;
      logins.push({ user: auth.username ?? '', ok });
      if (!ok) return callback(smtpError('Authentication failed', 535));
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const taken = pending.get(session.id) ?? { fault: undefined, delayMs: 0 };
      pending.delete(session.id);
      simpleParser(stream)
        .then(async (mail) => {
          if (taken.delayMs) await delay(taken.delayMs);
          if (taken.fault?.kind === 'error')
            return callback(smtpError('Temporary local problem, try again', 451));
          messages.push({
            messageId: mail.messageId,
            from: addresses(mail.from)[0] ?? '',
            to: addresses(mail.to),
            cc: addresses(mail.cc),
            replyTo: addresses(mail.replyTo)[0],
            subject: mail.subject,
            text: mail.text,
            html: mail.html ?? false,
            envelopeTo: session.envelope.rcptTo.map((r) => r.address),
            headers: mail.headers,
            storedAt: Date.now(),
          });
          if (taken.fault?.kind === 'drop-after') {
            for (const connection of (
              server as unknown as { connections: Set<{ id: string; _socket: { destroy(): void } }> }
            ).connections)
              if (connection.id === session.id) connection._socket.destroy();
            return;
          }
          callback();
        })
        .catch((e: Error) => callback(e));
    },
  });
  // A client killed mid-conversation resets its connection; a real server shrugs that off.
  server.on('error', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://${encodeURIComponent(options.user)}:${encodeURIComponent(options.pass)}@127.0.0.1:${port}`,
    messages,
    logins,
    faults,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
