import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, loadMcpClientConfig } from './config.ts';

const usage = `Usage: taskstream <command>

Commands:
  serve [--role api|realtime|recurring|notifier|audit|all]   start the server (default role: all)
  migrate                                                     apply database migrations and exit
  parse [--now ISO] [--tz ZONE] "text" | --jsonl              parse quick-add text
  mcp                                                         MCP server on stdio (TASKSTREAM_URL, TASKSTREAM_TOKEN)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve': {
      const { values } = parseArgs({ args: rest, options: { role: { type: 'string' } } });
      const config = loadConfig(values.role ? { ...process.env, ROLE: values.role } : process.env);
      // loaded on demand so that `taskstream parse` starts without the whole server
      const { startServer } = await import('./server.ts');
      await startServer(config);
      return -1;
    }
    case 'migrate': {
      const { createInfra } = await import('./infra/infra.ts');
      const infra = await createInfra(loadConfig());
      await infra.close();
      process.stdout.write('migrations applied\n');
      return 0;
    }
    case 'parse': {
      const { runParseCommand } = await import('./commands/parse.command.ts');
      return runParseCommand(rest, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr });
    }
    case 'mcp': {
      const { runMcpStdio } = await import('./modules/mcp/mcp.stdio.ts');
      await runMcpStdio(loadMcpClientConfig());
      return 0;
    }
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(usage);
      return command ? 0 : 1;
    default:
      process.stderr.write(`Unknown command "${command}"\n\n${usage}`);
      return 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
    else process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
