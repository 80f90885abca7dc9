import Koa from 'koa';

/**
 * The ceiling: a Koa app that answers every POST with a small JSON body and does nothing else (it does not even
 * read the body). Whatever the service reaches is printed as a share of what this reaches on the same machine.
 */
const app = new Koa();
app.use((ctx) => {
  ctx.body = { accepted: 1, duplicates: 0, rejected: [] };
});
const server = app.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('listening'));
server.keepAliveTimeout = 65_000;
process.on('SIGTERM', () => server.close(() => process.exit(0)));
