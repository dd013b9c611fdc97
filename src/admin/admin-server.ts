import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the admin API reads; the softswitch supplies live views. */
export interface Health {
  readonly status: 'ok' | 'failing';
  readonly [detail: string]: unknown;
}

export interface AdminSources {
  /** Served with 200 when 'ok', else 503, so that a monitor polling it sees the failure. */
  health(): Health;
  registrations(): unknown[];
  calls(): unknown[];
  /** Prometheus text exposition format. */
  metrics(): string;
}

/** GET /healthz, /api/registrations, /api/calls (JSON) and /metrics (Prometheus text). */
export class AdminServer {
  private server: Server | undefined;

  constructor(private readonly sources: AdminSources) {}

  async start(host: string, port: number): Promise<AddressInfo> {
    const server = createServer((req, res) => this.route(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return server.address() as AddressInfo;
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return send(res, 405, { error: 'method not allowed' });
    const path = (req.url ?? '/').split('?')[0];
    try {
      switch (path) {
        case '/healthz': {
          const health = this.sources.health();
          return send(res, health.status === 'ok' ? 200 : 503, health);
        }
        case '/api/registrations': return send(res, 200, this.sources.registrations());
        case '/api/calls': return send(res, 200, this.sources.calls());
        case '/metrics':
          res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
          res.end(this.sources.metrics());
          return;
        default: return send(res, 404, { error: 'not found' });
      }
    } catch (error) {
      send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
