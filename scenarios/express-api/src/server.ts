import { createApp } from './app.js';

// The benchmark harness runs containers with host networking and picks the port, so both come from the environment.
const host = process.env.HOST ?? '0.0.0.0';
const port = Number(process.env.PORT ?? 3000);

const server = createApp().listen(port, host, () => {
  console.log(`express-api listening on http://${host}:${port}`);
});

// PID 1 in a container gets SIGTERM from `docker stop`; close cleanly instead of waiting for the kill timeout.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
