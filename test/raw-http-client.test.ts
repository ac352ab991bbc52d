// The benchmarks' load generator reads HTTP responses itself (bench/raw-http-client.ts): check it
// against Node's own server, with answers that arrive in pieces and one after another.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawHttpConnection } from '../bench/raw-http-client';

let server: http.Server;
let baseUrl: string;

beforeAll(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => { body += chunk; });
    request.on('end', () => {
      if (request.url === '/no-length') {
        response.writeHead(200, { 'transfer-encoding': 'chunked' });
        response.end('chunked');
        return;
      }
      const answer = JSON.stringify({ path: request.url, method: request.method, body, auth: request.headers.authorization ?? null, padding: 'ก'.repeat(40_000) });
      response.writeHead(request.url === '/missing' ? 404 : 201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      // Header and body in separate writes, the body in two halves: the client must wait for all of it.
      response.flushHeaders();
      const bytes = Buffer.from(answer);
      response.write(bytes.subarray(0, 1000));
      setTimeout(() => response.end(bytes.subarray(1000)), 5);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('RawHttpConnection', () => {
  it('sends requests one after another on one connection and reads each whole answer', async () => {
    const connection = await RawHttpConnection.open(baseUrl);
    try {
      const first = await connection.request('POST', '/api/one', 'authorization: Bearer sk_x\r\ncontent-type: application/json\r\n', '{"points":5,"reason":"กาแฟ"}');
      expect(first.status).toBe(201);
      expect(JSON.parse(first.body)).toMatchObject({ path: '/api/one', method: 'POST', body: '{"points":5,"reason":"กาแฟ"}', auth: 'Bearer sk_x' });
      const second = await connection.request('POST', '/missing', '', '{}');
      expect(second.status).toBe(404);
      expect(JSON.parse(second.body).padding).toHaveLength(40_000);
    } finally {
      connection.close();
    }
  });

  it('refuses an answer it cannot measure, and a second request while one is open', async () => {
    const connection = await RawHttpConnection.open(baseUrl);
    try {
      await expect(connection.request('GET', '/no-length', '', '')).rejects.toThrow(/without content-length/);
    } finally {
      connection.close();
    }
    const busy = await RawHttpConnection.open(baseUrl);
    try {
      const first = busy.request('POST', '/a', '', '{}');
      expect(() => busy.request('POST', '/b', '', '{}')).toThrow(/one request at a time/);
      await first;
    } finally {
      busy.close();
    }
  });
});
