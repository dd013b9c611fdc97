#!/usr/bin/env node
import { ConfigError, defaultConfigYaml, loadConfigFile } from './config/index.js';
import { runSoftswitch } from './main.js';

const USAGE = `usage:
  softswitch [--config FILE]        run the softswitch (built-in default configuration without --config)
  softswitch check-config FILE      validate a configuration file and exit
  softswitch print-default-config   print the built-in default configuration as YAML`;

function main(argv: string[]): void {
  const [command, ...rest] = argv;
  if (command === 'check-config') return checkConfig(rest[0]);
  if (command === 'print-default-config') {
    process.stdout.write(defaultConfigYaml());
    return;
  }
  if (command === '--help' || command === '-h') {
    console.log(USAGE);
    return;
  }
  let configPath: string | undefined;
  if (command === '--config' || command === '-c') configPath = rest[0];
  else if (command !== undefined) fail(`unknown argument ${command}\n${USAGE}`);
  if (command !== undefined && configPath === undefined) fail(`--config needs a file\n${USAGE}`);
  runSoftswitch(configPath).catch((error: unknown) => fail(describe(error)));
}

function checkConfig(path: string | undefined): void {
  if (!path) fail(`check-config needs a file\n${USAGE}`);
  try {
    const config = loadConfigFile(path);
    console.log(`${path}: ok (${config.users.length} users, ${config.queues.length} queues)`);
  } catch (error) {
    fail(describe(error));
  }
}

function describe(error: unknown): string {
  if (error instanceof ConfigError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

main(process.argv.slice(2));
