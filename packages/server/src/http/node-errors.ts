// What Node's HTTP parser refuses before Hono sees a request (huge headers, malformed requests, requests
// sent too slowly) still leaves in the API's error body, and slow clients are cut off in seconds, not minutes.
import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { ERROR_CODES, type ErrorCode } from '@jury/api';
import { newId } from './ids.ts';

const HEADERS_TIMEOUT_MS = 10_000;

/** Node server options: header and whole-request timeouts, checked every second rather than every 30. */
export function nodeServerOptions(requestTimeoutSeconds: number) {
  const requestTimeout = requestTimeoutSeconds * 1000;
  return {
    requestTimeout,
    headersTimeout: Math.min(HEADERS_TIMEOUT_MS, requestTimeout),
    connectionsCheckingInterval: 1000,
  };
}

function codeOf(err: NodeJS.ErrnoException): ErrorCode {
  if (err.code === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  return 'BAD_REQUEST';
}

const MESSAGES: Partial<Record<ErrorCode, string>> = {
  HEADERS_TOO_LARGE:
    'The request headers are larger than the server accepts (16 KiB); send fewer or shorter ones.',
  REQUEST_TIMEOUT: 'The request was not received in time; send it again at once and whole.',
  BAD_REQUEST: 'The request is not valid HTTP.',
};

/** Answers the parser's refusals with `{ error: { code, message, requestId } }` and closes the connection. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const code = codeOf(err);
    const body = JSON.stringify({ error: { code, message: MESSAGES[code], requestId: newId('req', 12) } });
    const status = ERROR_CODES[code].status;
    socket.end(
      `HTTP/1.1 ${status} ${code.replaceAll('_', ' ')}\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
