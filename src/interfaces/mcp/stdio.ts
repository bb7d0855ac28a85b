/**
 * `baton mcp`: the MCP server over stdio. stdout carries nothing but protocol messages (diagnostics go to
 * stderr). When the client closes stdin, as a pipe does after its last request, every request already
 * read is answered before the server closes.
 */
import type { Readable, Writable } from 'node:stream';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  isJSONRPCNotification,
  isJSONRPCRequest,
  type JSONRPCMessage,
  type RequestId,
} from '@modelcontextprotocol/sdk/types.js';

/** The SDK's stdio transport, keeping count of the requests not yet answered. */
class AnsweringStdioTransport implements Transport {
  onclose?: Transport['onclose'];
  onerror?: Transport['onerror'];
  onmessage?: Transport['onmessage'];
  readonly #inner: StdioServerTransport;
  readonly #pending = new Set<RequestId>();
  #waiting: (() => void)[] = [];

  constructor(stdin: Readable, stdout: Writable) {
    this.#inner = new StdioServerTransport(stdin, stdout);
  }

  start(): Promise<void> {
    this.#inner.onmessage = (message: JSONRPCMessage) => {
      if (isJSONRPCRequest(message)) this.#pending.add(message.id);
      // A cancelled request gets no answer (the MCP spec), so it is no longer awaited.
      if (isJSONRPCNotification(message) && message.method === 'notifications/cancelled') {
        const id = (message.params as { requestId?: RequestId } | undefined)?.requestId;
        if (id !== undefined) this.#settle(id);
      }
      this.onmessage?.(message);
    };
    this.#inner.onerror = (error) => this.onerror?.(error);
    this.#inner.onclose = () => this.onclose?.();
    return this.#inner.start();
  }

  async send(message: JSONRPCMessage): Promise<void> {
    await this.#inner.send(message);
    if (('result' in message || 'error' in message) && message.id !== undefined) this.#settle(message.id);
  }

  close(): Promise<void> {
    return this.#inner.close();
  }

  #settle(id: RequestId): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) for (const resolve of this.#waiting.splice(0)) resolve();
  }

  /** Resolves once every request read so far has been answered. */
  answered(): Promise<void> {
    return this.#pending.size === 0
      ? Promise.resolve()
      : new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** Serves `server` on stdin/stdout until the client closes stdin (or stdout goes away); then closes it. */
export async function serveStdio(
  server: McpServer,
  streams: { stdin: Readable; stdout: Writable } = { stdin: process.stdin, stdout: process.stdout },
): Promise<void> {
  const transport = new AnsweringStdioTransport(streams.stdin, streams.stdout);
  const done = new Promise<void>((resolve) => {
    server.server.onclose = resolve;
    streams.stdin.once('end', () => void transport.answered().then(resolve));
    // The client is gone (EPIPE): nothing more can be answered.
    streams.stdout.once('error', () => resolve());
  });
  await server.connect(transport);
  await done;
  await server.close();
}
