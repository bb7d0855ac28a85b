/**
 * `baton serve`: one process serving the JSON API, the dashboard, MCP over HTTP and Slack's interactivity
 * endpoint, with the outbox dispatcher running beside them; it stops cleanly on SIGINT or SIGTERM.
 * `baton user add NAME --role ROLE` creates a user and prints the API token once; `baton user list`.
 */
import type { Command } from 'commander';
import { AppError } from '../../app/errors.ts';
import type { Baton } from '../../app/handoff-context.ts';
import type { CliContext } from './workflow-commands.ts';

const loopback = new Set(['127.0.0.1', 'localhost', '::1']);

function readPort(value: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value.trim()) || port > 65_535)
    throw new AppError(
      'bad-input',
      `--port: "${value}" is not a port (0 to 65535; 0 picks a free one)`,
      'port',
    );
  return port;
}

function readSeconds(value: string, option: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600)
    throw new AppError(
      'bad-input',
      `${option}: "${value}" is not a number of seconds (more than 0, at most 3600)`,
      option,
    );
  return seconds;
}

/** Resolves on the first SIGINT or SIGTERM. */
function stopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export function registerServeCommands(cli: Command, ctx: CliContext): void {
  const { io } = ctx;
  cli
    .command('serve')
    .description(
      'serve the API (/api, /openapi.json), the dashboard, MCP (/mcp) and Slack actions; runs the outbox dispatcher',
    )
    .option('--port <n>', 'the port (0 picks a free one)', '8080')
    .option('--host <host>', 'the address to listen on (127.0.0.1 keeps it on this machine)', '127.0.0.1')
    .option('--poll <seconds>', 'how often the outbox dispatcher looks for due effects when idle', '2')
    .option(
      '--log-level <level>',
      'request log level on stderr: fatal, error, warn, info, debug, silent',
      'info',
    )
    .action(async (o: { port: string; host: string; poll: string; logLevel: string }, cmd: Command) => {
      const port = readPort(o.port);
      const pollMs = readSeconds(o.poll, '--poll') * 1000;
      const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
      if (!levels.includes(o.logLevel))
        throw new AppError(
          'bad-input',
          `--log-level: "${o.logLevel}" is not one of ${levels.join(', ')}`,
          'log-level',
        );
      // Listen for the signals before anything starts: one during start-up stops the server once it is up.
      const stopping = stopSignal();
      await ctx.withBaton(cmd, async (baton) => {
        const [
          { buildServer },
          { slackOptionsFrom },
          { registerWebRoutes },
          { mcpHttpPlugin },
          { startDispatcher },
          { withEnvFile },
        ] = await Promise.all([
          import('../http/server.ts'),
          import('../http/slack-actions.ts'),
          import('../web/routes.ts'),
          import('../mcp/http.ts'),
          import('../../app/outbox-dispatcher.ts'),
          import('../../app/integrations-config.ts'),
        ]);
        const shownHost = o.host.includes(':') ? `[${o.host}]` : o.host;
        // Slack's signing secret may come from a .env file, as the integrations' settings do.
        const { vars } = withEnvFile(process.env, process.cwd());
        const slack = slackOptionsFrom(vars, baton.integrations);
        if (!slack.dashboardUrl && port !== 0) slack.dashboardUrl = `http://${shownHost}:${port}`;
        const app = buildServer(baton, {
          logger: { level: o.logLevel, stream: process.stderr },
          plugins: [registerWebRoutes, mcpHttpPlugin],
          slack,
          trustProxy: vars.BATON_TRUST_PROXY === '1',
        });
        const address = await app.listen({ port, host: o.host });
        const url = `http://${shownHost}:${new URL(address).port}`;
        const dispatcher = startDispatcher(baton, {
          pollMs,
          onError: (error) =>
            app.log.error(
              { error: error instanceof Error ? error.message : String(error) },
              'outbox dispatcher',
            ),
          onPass: (counts) => app.log.info({ counts }, 'outbox delivered'),
        });
        io.out(await banner(baton, url, o.host, !!slack.signingSecret));
        const signal = await stopping;
        io.out(`\n${signal}: stopping (finishing the requests and deliveries in flight)…\n`);
        await app.close();
        await dispatcher.stop();
        io.out('stopped\n');
      });
    });

  const user = cli.command('user').description('the people who sign in to the API, the dashboard and MCP');
  user
    .command('add')
    .description('create a user and print their API token (shown once, stored hashed)')
    .argument('<name>', 'the person\'s name, e.g. "Dana Reyes"')
    .requiredOption('--role <role>', 'cro, sales.ops, customer.success, chief.staff or ceo')
    .option('--json', 'print one JSON object')
    .action(async (name: string, o: { role: string }, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const { addUser } = await import('../../app/users.ts');
        const { user: created, token } = await addUser(baton, name, o.role);
        if (json) io.out(`${JSON.stringify({ ...created, token })}\n`);
        else
          io.out(
            [
              `created ${created.name} (${created.role})`,
              `token: ${token}`,
              'This token is shown once and stored only as a hash: hand it to the person now.',
              'They sign in to the dashboard with it, or send it as Authorization: Bearer TOKEN to the API and /mcp.',
              '',
            ].join('\n'),
          );
      });
    });
  user
    .command('list')
    .description('the users, their roles, and who is disabled (never their tokens)')
    .option('--json', 'print one JSON array')
    .action(async (_o, cmd: Command) => {
      await ctx.withBaton(cmd, async (baton, json) => {
        const { listUsers } = await import('../../app/users.ts');
        const users = await listUsers(baton);
        if (json) io.out(`${JSON.stringify(users)}\n`);
        else if (users.length === 0)
          io.out('no users yet; create one with: baton user add NAME --role ROLE\n');
        else {
          const width = Math.max(...users.map((u) => u.name.length));
          for (const u of users)
            io.out(
              `${u.name.padEnd(width)}  ${u.role.padEnd(16)}  since ${u.createdAt}${u.disabledAt ? `  disabled ${u.disabledAt}` : ''}\n`,
            );
        }
      });
    });
}

async function banner(baton: Baton, url: string, host: string, slack: boolean): Promise<string> {
  const { listUsers } = await import('../../app/users.ts');
  const users = (await listUsers(baton)).filter((u) => !u.disabledAt);
  const lines = [
    `baton is serving ${baton.root}`,
    '',
    `  dashboard   ${url}/`,
    `  API         ${url}/api   (OpenAPI: ${url}/openapi.json)`,
    `  MCP         ${url}/mcp`,
    `  Slack       ${url}/slack/actions${slack ? '' : '   (off: set SLACK_SIGNING_SECRET)'}`,
    '',
    users.length > 0
      ? `Sign in with a user's API token (${users.length} user${users.length === 1 ? '' : 's'}; baton user list). Tokens are shown once, by baton user add (or baton demo).`
      : 'No users yet: create one with  baton user add "Your Name" --role cro  and sign in with the token it prints.',
    `  API: curl -H "Authorization: Bearer TOKEN" ${url}/api/handoffs`,
    ...(loopback.has(host)
      ? []
      : [
          '',
          `Listening on ${host}: this is plain HTTP; put a TLS proxy in front before people use it over a network.`,
        ]),
    '',
    'Ctrl-C stops.',
    '',
  ];
  return lines.join('\n');
}
