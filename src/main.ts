import { loadConfig } from './config/index.js';
import type { Config } from './config/config-schema.js';
import { createLogger, type Logger } from './logging/logger.js';
import { Softswitch } from './softswitch.js';
import { firstExternalIpv4 } from './host-address.js';

/** Runs the softswitch until SIGTERM/SIGINT; SIGHUP reloads the configuration file. */
export async function runSoftswitch(configPath: string | undefined): Promise<Softswitch> {
  const config = loadConfig(configPath);
  const logger = createLogger({ level: config.logging.level });
  const softswitch = new Softswitch({ config, logger });
  await softswitch.start();
  announce(softswitch, config, logger, configPath);
  handleSignals(softswitch, logger, configPath);
  return softswitch;
}

function announce(sw: Softswitch, config: Config, logger: Logger, configPath: string | undefined): void {
  const listening = config.sip.listen.map((l) => {
    const bound = sw.sipEndpoint(l.transport);
    return `${l.transport}:${l.host}:${bound.port}`;
  });
  const admin = sw.adminEndpoint;
  logger.info({ config: configPath ?? 'built-in default', sip: listening, admin: admin ? `http://${admin.address}:${admin.port}` : null }, 'listening');
  const example = config.users.find((u) => u.password !== undefined);
  if (example) {
    const server = sw.sipEndpoint('udp');
    const host = config.sip.advertise ?? firstExternalIpv4() ?? '127.0.0.1';
    logger.info(`register a phone: user ${example.extension}, password ${example.password}, domain ${config.sip.domain}, server ${host}:${server.port}`);
  }
}

function handleSignals(sw: Softswitch, logger: Logger, configPath: string | undefined): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: ending live calls');
    sw.stop().then(() => process.exit(0), (error: unknown) => {
      logger.error({ err: error }, 'error while stopping');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGHUP', () => {
    if (!configPath) return logger.warn('SIGHUP: running the built-in default, nothing to reload');
    try {
      sw.reload(loadConfig(configPath));
      logger.info({ config: configPath }, 'configuration reloaded');
    } catch (error) {
      logger.error({ error: error instanceof Error ? error.message : String(error) }, 'configuration not reloaded; keeping the running one');
    }
  });
}
