/**
 * The MCP resources: each handoff's packet, 6C report and submitted (frozen) versions, the incident files,
 * and the playbook in force. Reads go through the app, which takes every path from the playbook or the
 * store (never from the URI) and keeps it under the knowledge root.
 */
import { type McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { Variables } from '@modelcontextprotocol/sdk/shared/uriTemplate.js';
import type { ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { AppError } from '../../app/errors.ts';
import type { Baton } from '../../app/handoff-context.ts';
import {
  listIncidents,
  type RootFile,
  readHandoffFile,
  readIncident,
  readSubmission,
} from '../../app/handoff-files.ts';
import { listHandoffs } from '../../app/handoff-queries.ts';
import { type Log, protocolError } from './results.ts';

const markdown = 'text/markdown';

/** One variable of a matched URI template, as written (ids need no escaping; the app validates them). */
function variable(variables: Variables, name: string): string {
  const value = variables[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
}

function contents(uri: URL, file: RootFile): ReadResourceResult {
  return { contents: [{ uri: uri.href, mimeType: markdown, text: file.text }] };
}

async function read(
  what: string,
  log: Log,
  work: () => Promise<ReadResourceResult>,
): Promise<ReadResourceResult> {
  try {
    return await work();
  } catch (e) {
    throw protocolError(e, what, log);
  }
}

export function registerResources(server: McpServer, baton: Baton, log: Log): void {
  server.registerResource(
    'playbook',
    'baton://playbook',
    {
      title: 'The playbook in force',
      description:
        "The SOP as data: the packet's sections and fields (ids, labels, which are required, examples), vocabularies, clocks, calendar, escalation policy.",
      mimeType: 'application/json',
    },
    (uri) => ({
      contents: [
        { uri: uri.href, mimeType: 'application/json', text: JSON.stringify(baton.playbook, null, 2) },
      ],
    }),
  );

  const handoffSows = async () => (await listHandoffs(baton, { limit: 500 })).map((h) => h.sow);
  const completeSow = async (prefix: string) =>
    (await handoffSows()).filter((sow) => sow.startsWith(prefix.toUpperCase())).slice(0, 100);

  for (const which of ['packet', 'report'] as const) {
    server.registerResource(
      `handoff-${which}`,
      new ResourceTemplate(`baton://handoffs/{sow}/${which}`, {
        list: async () => ({
          resources: (await handoffSows()).map((sow) => ({
            uri: `baton://handoffs/${sow}/${which}`,
            name: `${sow} ${which}`,
            mimeType: markdown,
          })),
        }),
        complete: { sow: completeSow },
      }),
      {
        title: which === 'packet' ? 'Handoff packet' : '6C handoff report',
        description:
          which === 'packet'
            ? "The handoff packet at the SOP's path (the working file; a submitted version is frozen as a submission)."
            : 'The 6C report baton writes on submission and review.',
        mimeType: markdown,
      },
      (uri, variables) =>
        read(uri.href, log, async () =>
          contents(uri, await readHandoffFile(baton, variable(variables, 'sow'), which)),
        ),
    );
  }

  server.registerResource(
    'handoff-submission',
    new ResourceTemplate('baton://handoffs/{sow}/submissions/{n}', {
      // Listed through the status tool (`submissions`), to keep the resource list one entry per file kind.
      list: undefined,
      complete: { sow: completeSow },
    }),
    {
      title: 'A submitted packet version',
      description:
        'The frozen copy of submission n (1, 2, ...) of a handoff, exactly as submitted and checked against its recorded sha256: what customer.success reviews.',
      mimeType: markdown,
    },
    (uri, variables) =>
      read(uri.href, log, async () => {
        const n = Number(variable(variables, 'n'));
        if (!Number.isSafeInteger(n) || n < 1)
          throw new AppError('bad-input', 'n: a submission number, 1, 2, ...', 'n');
        return contents(uri, await readSubmission(baton, variable(variables, 'sow'), n));
      }),
  );

  server.registerResource(
    'incident',
    new ResourceTemplate('baton://incidents/{id}', {
      list: async () => ({
        resources: (await listIncidents(baton)).map((i) => ({
          uri: `baton://incidents/${i.id}`,
          name: i.id,
          description: `${i.severity} ${i.status}, ${i.sow}, filed ${i.filedAt}`,
          mimeType: markdown,
        })),
      }),
      complete: {
        id: async (prefix) =>
          (await listIncidents(baton))
            .map((i) => i.id)
            .filter((id) => id.startsWith(prefix))
            .slice(0, 100),
      },
    }),
    {
      title: 'Incident file',
      description: 'An incident raised by an escalation (SOP Section 7), open or closed.',
      mimeType: markdown,
    },
    (uri, variables) =>
      read(uri.href, log, async () => contents(uri, await readIncident(baton, variable(variables, 'id')))),
  );
}
