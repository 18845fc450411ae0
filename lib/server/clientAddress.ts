import type { IncomingMessage } from 'node:http';

/**
 * The address of the client behind `trustedProxies` reverse proxies. Each proxy appends the address
 * it received the request from to X-Forwarded-For, so counting that many hops back from the
 * connection's own address finds the client; entries further left were written by the client itself
 * and are not believed. With no trusted proxy, the connection's address is the client.
 */
export function clientAddress(remoteAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedProxies: number): string {
  const remote = remoteAddress ?? 'unknown';
  if (trustedProxies <= 0 || forwardedFor === undefined) return remote;
  const forwarded = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  const chain = [...forwarded, remote];
  // Fewer hops than proxies: the left-most address is as far back as the chain goes.
  return chain[Math.max(0, chain.length - 1 - trustedProxies)] ?? remote;
}

export const requestClientAddress = (req: IncomingMessage, trustedProxies: number) =>
  clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trustedProxies);
