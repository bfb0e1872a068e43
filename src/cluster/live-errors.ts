/** What went wrong with one API request, in terms the fetcher can act on and an analyst can read. */

export type RequestFailure =
  /** The server answered with an error status. */
  | { type: 'http'; status: number; message: string; retryAfterMs?: number }
  /** No answer within the per-request timeout. */
  | { type: 'timeout'; timeoutMs: number }
  /** No HTTP exchange at all: refused, DNS, TLS, reset. */
  | { type: 'network'; code: string; message: string }
  | { type: 'other'; message: string };

/** The cluster cannot be used at all (unreachable, TLS, credentials): the CLI reports it and exits 2. */
export class ClusterUnreachableError extends Error {
  constructor(
    readonly context: string,
    readonly server: string,
    readonly failure: RequestFailure,
    message: string,
  ) {
    super(message);
    this.name = 'ClusterUnreachableError';
  }
}

const NETWORK_EXPLANATIONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'temporary DNS failure',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPROTO: 'TLS protocol error',
  DEPTH_ZERO_SELF_SIGNED_CERT: "TLS verification failed: the server's certificate is self-signed and not trusted by the kubeconfig",
  SELF_SIGNED_CERT_IN_CHAIN: "TLS verification failed: the server's certificate chain ends in a CA the kubeconfig does not trust",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "TLS verification failed: the server's certificate is not signed by the kubeconfig's certificate authority",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "TLS verification failed: the server's certificate issuer is not trusted by the kubeconfig",
  CERT_HAS_EXPIRED: "TLS verification failed: the server's certificate has expired",
  CERT_NOT_YET_VALID: "TLS verification failed: the server's certificate is not valid yet",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS verification failed: the server's certificate does not name this host",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Server-supplied text, safe for a terminal: no control sequences, bounded length. */
function printable(text: string): string {
  const flat = text.replace(/[\x00-\x1f\x7f-\x9f]+/g, ' ').trim();
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}

/** The `message` of a Kubernetes Status body (the client hands it over as a string or as an object). */
export function statusMessage(body: unknown): string | undefined {
  let parsed = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return body.trim() !== '' ? printable(body) : undefined;
    }
  }
  return isRecord(parsed) && typeof parsed.message === 'string' ? printable(parsed.message) : undefined;
}

/** `Retry-After` as milliseconds: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function headerValue(headers: unknown, name: string): string | undefined {
  if (!isRecord(headers)) return undefined;
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value;
  return undefined;
}

/** Finds the first error `code` string along the `cause` chain. */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && isRecord(current); depth++) {
    if (typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}

export function classifyFailure(error: unknown, timedOut: boolean, timeoutMs: number, nowMs: number): RequestFailure {
  if (timedOut) return { type: 'timeout', timeoutMs };
  if (isRecord(error) && typeof error.code === 'number' && error.code >= 100 && error.code < 600) {
    const status = error.code;
    const message = statusMessage(error.body) ?? (typeof error.message === 'string' ? printable(error.message.split('\n')[0]) : `HTTP ${status}`);
    const retryAfterMs = parseRetryAfter(headerValue(error.headers, 'retry-after'), nowMs);
    return retryAfterMs === undefined ? { type: 'http', status, message } : { type: 'http', status, message, retryAfterMs };
  }
  const code = errorCode(error);
  const text = printable(error instanceof Error ? error.message : String(error));
  if (code !== undefined) return { type: 'network', code, message: NETWORK_EXPLANATIONS[code] ?? `${code}: ${text}` };
  if (isRecord(error) && (error.name === 'AbortError' || error.name === 'TimeoutError')) return { type: 'timeout', timeoutMs };
  return { type: 'other', message: text };
}

export function describeFailure(failure: RequestFailure): string {
  switch (failure.type) {
    case 'http':
      return `HTTP ${failure.status}: ${failure.message}`;
    case 'timeout':
      return `no response within ${formatSeconds(failure.timeoutMs)} (--timeout)`;
    case 'network':
      return failure.message;
    case 'other':
      return failure.message;
  }
}

export function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(s < 1 ? 2 : 1)} s`;
}

/** 429 and 5xx, connection resets and the like: worth another try. */
export function isTransient(failure: RequestFailure): boolean {
  if (failure.type === 'http') return failure.status === 429 || failure.status >= 500;
  if (failure.type === 'network') return failure.code === 'ECONNRESET' || failure.code === 'EPIPE' || failure.code === 'EAI_AGAIN' || failure.code === 'ETIMEDOUT';
  return false;
}
