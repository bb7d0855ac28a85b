// `baton gate FILE`: the command people and agents run most, and whose start-up is measured (goal: at most
// 2x `node -e 0`). main() runs it through commander with every other command; bin/baton.js runs the plain
// forms (`gate FILE [--json] [--root DIR]`, in any order, with the built-in playbook) through `runGateFast`
// from a bundle of its own, without loading commander and the other commands. Both end in `runGate`.
import { gatePacketFile } from '../../app/gate-packet.ts';
import { type CommandOptions, commandContext } from './command-context.ts';
import { type Io, processIo, reportError } from './output.ts';

/** Gates `file`, prints the report, and gives the exit code (1 when the verdict is fail). */
export async function runGate(io: Io, file: string, options: CommandOptions): Promise<number> {
  const { env, playbook, json } = await commandContext(options);
  const report = await gatePacketFile(file, { playbook, root: env.root, submittedAt: env.now() });
  if (json) io.out(`${JSON.stringify(report)}\n`);
  else (await import('./gate-report.ts')).printGateReport(io, report);
  return report.verdict === 'fail' ? 1 : 0;
}

const valueOptions = new Set(['--root', '--playbook']);

/**
 * `baton gate` when `argv` (after `baton`) is one of its plain forms; undefined for anything else (help,
 * another option, `--opt=value`, a missing or second file, a company playbook), which main() then parses
 * with commander.
 */
export async function runGateFast(argv: string[], io: Io = processIo): Promise<number | undefined> {
  if (argv[0] !== 'gate') return undefined;
  let file: string | undefined;
  const options: CommandOptions = {};
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') options.json = true;
    else if (valueOptions.has(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) return undefined;
      if (arg === '--root') options.root = value;
      else options.playbook = value;
    } else if (arg.startsWith('-') || file !== undefined) return undefined;
    else file = arg;
  }
  // A company playbook (validated with zod, maybe YAML) is main()'s: this path keeps to the built-in one.
  if (file === undefined || options.playbook !== undefined || process.env.BATON_PLAYBOOK) return undefined;
  try {
    return await runGate(io, file, options);
  } catch (e) {
    return reportError(io, e, !!options.json);
  }
}
