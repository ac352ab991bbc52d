import net from 'node:net';

export interface RawResponse { status: number; body: string }

/**
 * One keep-alive HTTP/1.1 connection that sends a request and waits for its answer before the
 * next (no pipelining), like a browser or an SDK does. It writes each request with one syscall
 * and reads only the status line and Content-Length, so the load generator, which shares the
 * machine's cores with the server it measures, spends as little CPU as it can per request.
 */
export class RawHttpConnection {
  private socket: net.Socket;
  private pending: { resolve: (response: RawResponse) => void; reject: (error: Error) => void } | null = null;
  private buffered: Buffer = Buffer.alloc(0);

  private constructor(socket: net.Socket, private readonly host: string) {
    this.socket = socket;
    socket.setNoDelay(true);
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the server closed the connection')));
  }

  static open(baseUrl: string): Promise<RawHttpConnection> {
    const url = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect(Number(url.port), url.hostname, () => resolve(new RawHttpConnection(socket, url.host)));
      socket.once('error', reject);
    });
  }

  request(method: string, path: string, headers: string, body: string): Promise<RawResponse> {
    if (this.pending) throw new Error('one request at a time on a connection');
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(`${method} ${path} HTTP/1.1\r\nhost: ${this.host}\r\n${headers}content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffered = this.buffered.length === 0 ? chunk : Buffer.concat([this.buffered, chunk]);
    const headerEnd = this.buffered.indexOf('\r\n\r\n');
    if (headerEnd < 0) return;
    const head = this.buffered.toString('latin1', 0, headerEnd);
    const lengthMatch = /\r\ncontent-length:\s*(\d+)/i.exec(head);
    if (!lengthMatch) return this.fail(new Error(`a response without content-length: ${head}`));
    const bodyEnd = headerEnd + 4 + Number(lengthMatch[1]);
    if (this.buffered.length < bodyEnd) return;
    const response = { status: Number(head.slice(9, 12)), body: this.buffered.toString('utf8', headerEnd + 4, bodyEnd) };
    this.buffered = this.buffered.subarray(bodyEnd);
    const pending = this.pending;
    this.pending = null;
    pending?.resolve(response);
  }

  private fail(error: Error): void {
    const pending = this.pending;
    this.pending = null;
    pending?.reject(error);
  }
}
