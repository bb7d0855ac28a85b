/**
 * Slack's side of interactivity replies: a server on 127.0.0.1 that takes what baton posts to an action's
 * `response_url` (JSON, as Slack takes it) and keeps it. Point BATON_SLACK_API_URL (or the server's
 * `responseOrigins`) at `origin` so baton may post here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackReply {
  path: string;
  contentType: string | undefined;
  body: Record<string, unknown>;
}

export class SlackResponseFake {
  readonly posts: SlackReply[] = [];
  origin = '';
  readonly #waiters: (() => void)[] = [];
  readonly #server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body);
      } catch {
        // Slack answers a body it cannot read with 400 and `invalid_payload`.
        response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        return;
      }
      this.posts.push({
        path: request.url ?? '',
        contentType: request.headers['content-type'],
        body: parsed,
      });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      for (const waiter of this.#waiters.splice(0)) waiter();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  /** Resolves at the next reply. */
  next(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
