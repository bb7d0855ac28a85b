/**
 * What a tool call answers: structured content (the same JSON the API and `--json` give) with a short text
 * for people, or, for anything the service layer refused or could not do, an `isError` result naming the
 * rule, the field and the next actions allowed. Errors are mapped here and nowhere else in the MCP server.
 */
import { type CallToolResult, ErrorCode, McpError } from '@modelcontextprotocol/sdk/types.js';
import { AppError, type AppErrorKind } from '../../app/errors.ts';
import { asAppError } from '../../app/handoffs.ts';

/** Where the server writes its own diagnostics: never stdout, which carries the protocol over stdio. */
export type Log = (line: string) => void;

export const stderrLog: Log = (line) => {
  process.stderr.write(`${line}\n`);
};

/**
 * The tool name of an operation or a workflow command: `approveDeviation` (operations) and
 * `approve-deviation` (the commands' interface names, in refusals) are both the tool `approve_deviation`.
 */
export function toolName(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase();
}

/** The error part of a failed tool result (`structuredContent.error`). */
export interface ToolError {
  kind: AppErrorKind | 'internal';
  message: string;
  /** The input field (or file, line) at fault. */
  where?: string;
  /** For a refusal: the rule, and the tools this actor may call on the handoff now. */
  rule?: string;
  allowed?: string[];
}

export function success(summary: string, structured: Record<string, unknown>): CallToolResult {
  return {
    content: [
      { type: 'text', text: summary },
      // Clients that read only text get the same JSON as structuredContent (the MCP spec's advice).
      { type: 'text', text: JSON.stringify(structured) },
    ],
    structuredContent: structured,
  };
}

/** Maps anything a tool's work threw to a tool error result. An unexpected error is logged, never sent with its stack. */
export function failure(thrown: unknown, tool: string, log: Log): CallToolResult {
  const error = toolError(thrown, tool, log);
  const lines = [
    error.kind === 'refused' && error.rule
      ? `refused by rule ${error.rule}: ${error.message}`
      : `${error.kind}: ${error.message}`,
  ];
  if (error.where) lines.push(`field: ${error.where}`);
  if (error.allowed)
    lines.push(
      error.allowed.length > 0
        ? `you may now: ${error.allowed.join(', ')}`
        : 'you may now: nothing on this handoff',
    );
  return {
    content: [{ type: 'text', text: lines.join('\n') }],
    structuredContent: { error: { ...error } },
    isError: true,
  };
}

/**
 * Some service and workflow errors name a field as the CLI spells it (`SOW`, `payment-status`,
 * `--check`); an agent is told the tool's input key instead. Check ids and packet labels pass as they are.
 */
const inputKeys: Record<string, string> = {
  SOW: 'sow',
  'sow-signed': 'sowSigned',
  'payment-confirmed': 'paymentConfirmed',
  'payment-status': 'paymentStatus',
  'ESCALATION-ID': 'escalationId',
  escalation: 'escalationId',
  check: 'checks',
  '--check': 'checks',
  attest: 'attestations',
  '--attest': 'attestations',
};

function toolError(thrown: unknown, tool: string, log: Log): ToolError {
  const mapped = asAppError(thrown);
  if (mapped instanceof AppError) {
    return {
      kind: mapped.kind,
      message: mapped.message,
      ...(mapped.where !== undefined ? { where: inputKeys[mapped.where] ?? mapped.where } : {}),
      ...(mapped.rule !== undefined ? { rule: mapped.rule } : {}),
      ...(mapped.kind === 'refused' || mapped.allowed
        ? { allowed: (mapped.allowed ?? []).map(toolName) }
        : {}),
    };
  }
  const message = mapped instanceof Error ? mapped.message : String(mapped);
  log(`baton mcp: ${tool} failed: ${mapped instanceof Error ? (mapped.stack ?? message) : message}`);
  return {
    kind: 'internal',
    message: `${tool} could not finish: ${message.split('\n')[0]}; check the handoff's history before retrying`,
  };
}

/** JSON-RPC's "resource not found" (resources and prompts answer with protocol errors, not `isError`). */
export const resourceNotFound = -32002;

/** Maps what a resource read or prompt threw to a protocol error carrying the same fields as a tool error. */
export function protocolError(thrown: unknown, what: string, log: Log): McpError {
  const error = toolError(thrown, what, log);
  const code =
    error.kind === 'not-found'
      ? resourceNotFound
      : error.kind === 'bad-input'
        ? ErrorCode.InvalidParams
        : error.kind === 'internal'
          ? ErrorCode.InternalError
          : ErrorCode.InvalidRequest;
  return new McpError(code, error.message, { ...error });
}
