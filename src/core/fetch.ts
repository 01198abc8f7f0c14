/**
 * The part of fetch a driver's transport uses. The global fetch satisfies it, and so does the
 * transport's own node:http client (transport/node-fetch.ts), which starts ~100 ms faster: Node 20
 * compiles its whole built-in undici, and HTTP/2 with it, on the first fetch of a process.
 */
export interface ResponseHeaders {
  /** The header's value (repeated headers joined by ", "), or null. */
  get(name: string): string | null;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface FetchResponse {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: ResponseHeaders;
  text(): Promise<string>;
}

export type Fetch = (url: string, init: FetchInit) => Promise<FetchResponse>;
