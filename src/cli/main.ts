/**
 * The `upstate` command line: serve, check, validate, agent, agents. Argument parsing and exit codes live
 * here; each command is a function in commands/ that returns its exit code.
 * Exit codes: 0 ok, 1 a check is down / runtime failure, 2 invalid config or usage.
 * @module
 */
import { parseArgs } from 'node:util';
import { ConfigError, formatIssue } from '../config/config-error.ts';
import { StartupError } from '../kernel/startup-error.ts';
import { processIo, type CommandIo } from './command-io.ts';

const USAGE = `Usage: upstate <command> [options]

Commands:
  serve     run the checks and the status page      --config FILE [--port 3000] [--host 0.0.0.0] [--mode embedded|cluster] [--data ./data] [--store FILE|postgres://…] [--watch]
  check     run every check once, print a table, exit 1 if any is down   --config FILE [--json]
  validate  validate the config, print every error, exit 2 if invalid    --config FILE
  agent     run a remote probe agent for one region   --server URL --token TOKEN --region NAME [--buffer DIR]
  agents    manage agent tokens in the store          add NAME --region NAME | revoke NAME | list   --config FILE [--data DIR | --store URL|FILE]
  import    uptime-kuma|gatus SOURCE [--out FILE] [--history] [--data DIR|--store …]  (see upstate import --help)
  notify test <channel>   send a test message through one alert channel  --config FILE
  silence   alert silences in the store   add --check NAME [--group G] [--rule KIND] [--severity S] --for 2h --comment TEXT | list [--all] | expire ID
  init      write a commented starter config       [--out upstate.yaml] [--port 3000] [--force]

Options:
  --config, -c   config file (default: upstate.yaml)
  --mode         serve only: embedded (one process, SQLite; the default) or cluster (N instances,
                 PostgreSQL --store); overrides the config's \`mode:\`
  --watch        serve only: reload the config when the file changes (SIGHUP always reloads;
                 an invalid file is refused and the running config stays)
  --log-level    trace|debug|info|warn|error|silent (default: info)
  --help, -h     show this help`;

export async function main(argv: string[], io: CommandIo = processIo): Promise<number> {
  // import and init have their own options: dispatched before the shared parser
  if (argv[0] === 'import') return (await import('./commands/import.ts')).importCommand(argv.slice(1), io);
  if (argv[0] === 'init') return (await import('./commands/init.ts')).initCommand(argv.slice(1), io);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c', default: 'upstate.yaml' },
        port: { type: 'string', short: 'p', default: '3000' },
        host: { type: 'string', default: '0.0.0.0' },
        data: { type: 'string', default: './data' },
        store: { type: 'string' },
        'read-url': { type: 'string' },
        mode: { type: 'string' },
        'log-level': { type: 'string' },
        watch: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        server: { type: 'string' },
        token: { type: 'string' },
        region: { type: 'string' },
        buffer: { type: 'string' },
        check: { type: 'string' },
        group: { type: 'string' },
        rule: { type: 'string' },
        severity: { type: 'string' },
        for: { type: 'string' },
        comment: { type: 'string' },
        all: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const command = positionals[0];
  if (values.help || !command) {
    (command || values.help ? io.out : io.err)(USAGE);
    return values.help ? 0 : 2;
  }
  const config = values.config!;
  try {
    switch (command) {
      // Each command is imported when it runs, so `validate` never loads what `serve` needs
      // (the web layer, prom-client, the cluster's pg relay): see docs/benchmarks.md.
      case 'notify': {
        const { notifyCommand } = await import('./commands/notify.ts');
        return await notifyCommand({ config, action: positionals[1], channel: positionals[2] }, io);
      }
      case 'validate': {
        const { validateCommand } = await import('./commands/validate.ts');
        return await validateCommand({ config }, io);
      }
      case 'check': {
        const { checkCommand } = await import('./commands/check.ts');
        return await checkCommand({ config, json: values.json }, io);
      }
      case 'serve': {
        const port = Number(values.port);
        if (!Number.isInteger(port) || port < 0 || port > 65535) {
          io.err(`--port must be a port number (got ${values.port})`);
          return 2;
        }
        const { serveCommand } = await import('./commands/serve.ts');
        return await serveCommand(
          { config, port, host: values.host!, data: values.data!, store: values.store, readUrl: values['read-url'], mode: values.mode, logLevel: values['log-level'], watch: values.watch },
          io,
        );
      }
      case 'agent': {
        const { agentCommand } = await import('./commands/agent.ts');
        return await agentCommand(
          { server: values.server, token: values.token, region: values.region, buffer: values.buffer, logLevel: values['log-level'] },
          io,
        );
      }
      case 'agents': {
        const { agentsCommand } = await import('./commands/agents.ts');
        return await agentsCommand(
          { action: positionals[1], name: positionals[2], region: values.region, config, data: values.data!, store: values.store },
          io,
        );
      }
      case 'silence': {
        const { silenceCommand } = await import('./commands/silence.ts');
        return await silenceCommand(
          {
            action: positionals[1], id: positionals[2], check: values.check, group: values.group, rule: values.rule, severity: values.severity,
            for: values.for, comment: values.comment, all: values.all, config, data: values.data!, store: values.store,
          },
          io,
        );
      }
      default:
        io.err(`unknown command "${command}"\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      for (const issue of error.issues) io.err(formatIssue(issue));
      io.err(`${error.issues.length} error${error.issues.length === 1 ? '' : 's'} in ${config}; nothing was started.`);
      return 2;
    }
    if (error instanceof StartupError) {
      io.err(`upstate ${command}: ${error.message}`);
      return 2;
    }
    io.err(`upstate ${command}: ${(error as Error)?.stack ?? String(error)}`);
    return 1;
  }
}
