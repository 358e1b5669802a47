import { Agent, request } from 'node:http';

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/**
 * A small keep-alive HTTP client for the API (node:http, no fetch: cheaper per request, so the
 * load generator takes less of the CPU it shares with the services).
 */
export class HttpClient {
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private readonly url: URL;

  constructor(
    baseUrl: string,
    private readonly token?: string,
  ) {
    this.url = new URL(baseUrl);
  }

  /** POSTs a JSON body (a string or an already serialised Buffer) and reads the whole answer. */
  post(path: string, body: string | Buffer, token = this.token): Promise<HttpAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          host: this.url.hostname,
          port: this.url.port,
          path,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Creates an API key with the `ingest` scope (as an admin) and returns a client that sends it. */
export async function ingestClient(baseUrl: string, adminToken: string, name: string): Promise<HttpClient> {
  const created = await new HttpClient(baseUrl).post(
    '/api/api-keys',
    JSON.stringify({ name, scopes: ['ingest'] }),
    adminToken,
  );
  if (created.status !== 201)
    throw new Error(`POST /api/api-keys answered ${created.status}: ${created.body}`);
  return new HttpClient(baseUrl, (JSON.parse(created.body) as { key: string }).key);
}
