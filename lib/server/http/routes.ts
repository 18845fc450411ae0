import type { HttpBindings } from '@hono/node-server';
import type { Principal } from '../auth';

/**
 * The REST routes as a table: each is a method, a Hono path pattern and a handler over plain data,
 * so a handler reads like the command it runs and api.ts does the HTTP around it once.
 */
/** What the REST app's handlers see: Node's request (for its headers) and the authenticated principal. */
export type ApiEnv = { Bindings: HttpBindings; Variables: { principal: Principal; importLease?: HeldLease } };

/** A lease an import holds (http/importRoute.ts): given back once, by whoever is last to hold it. */
export interface HeldLease {
  release(): Promise<void>;
  /** Set when the answer streams: the stream gives the lease back when the import ends. */
  streaming: boolean;
}

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when there was none (and always for GET and DELETE). */
  body: unknown;
  /** Who is asking: every route but the health check is authenticated. */
  principal: Principal;
}

/** A string or byte body with a `contentType` is sent as is (CSV exports, pre-serialised JSON); anything else as JSON. */
export type Result = { status: number; body: unknown; contentType?: string; filename?: string };

export interface Route {
  method: Method;
  path: string;
  handle: (req: RouteRequest) => Result | Promise<Result>;
}

export const route = (method: Method, path: string, handle: Route['handle']): Route => ({ method, path, handle });

export const csv = (body: string | Uint8Array | Uint8Array[] | ReadableStream<Uint8Array>, filename: string): Result => ({ status: 200, body, contentType: 'text/csv; charset=utf-8', filename });
