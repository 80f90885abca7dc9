import { configFromEnv } from './config';
import { buildApp } from './http/app';
import { createLogger } from './logger';
import { startServices } from './service';
import { engineNames } from './stores';

/** The server: configuration, services, listening, and a clean stop on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const config = configFromEnv();
  const logger = createLogger(config.logLevel);
  const services = await startServices(config, logger);
  const app = buildApp(services);
  const server = app.listen(config.port, config.host);
  server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));

  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info({ port, engines: engineNames(config), dataDir: config.dataDir }, 'listening');
  const { bootstrap } = services;
  console.log(
    [
      '',
      `CSCX.AI Segment sync is listening on http://localhost:${port}`,
      `  webhook:     POST http://localhost:${port}/api/integrations/segment/webhook`,
      `  web app:     http://localhost:${port}/app/ (sign in with the admin token)`,
      `  engines:     events=${engineNames(config).eventStore}, read models=${engineNames(config).readStore}`,
      `  credentials: ${bootstrap.credentialsFile}${bootstrap.created ? ' (generated now)' : ''}`,
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close();
    await services.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
