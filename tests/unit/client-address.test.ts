import { describe, expect, it } from 'vitest';
import { clientAddress } from '../../lib/server/clientAddress';

describe('the client address behind reverse proxies', () => {
  it('without a trusted proxy, is the connection address, whatever X-Forwarded-For claims', () => {
    expect(clientAddress('10.0.0.5', undefined, 0)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', '203.0.113.7', 0)).toBe('10.0.0.5');
    expect(clientAddress(undefined, undefined, 0)).toBe('unknown');
  });

  it('behind one proxy, is the address the proxy appended, not what the client wrote before it', () => {
    expect(clientAddress('10.0.0.5', '203.0.113.7', 1)).toBe('203.0.113.7');
    // The client sent "1.2.3.4" itself; the proxy appended the address it saw.
    expect(clientAddress('10.0.0.5', '1.2.3.4, 203.0.113.7', 1)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', ['1.2.3.4', ' 203.0.113.7 '], 1)).toBe('203.0.113.7');
  });

  it('behind two proxies, counts two hops back; a shorter chain gives its left-most address', () => {
    expect(clientAddress('10.0.0.5', '1.2.3.4, 203.0.113.7, 10.0.0.9', 2)).toBe('203.0.113.7');
    expect(clientAddress('10.0.0.5', '203.0.113.7', 5)).toBe('203.0.113.7');
    // Trusted proxies but no header (a request that reached the server directly): the connection.
    expect(clientAddress('10.0.0.5', undefined, 1)).toBe('10.0.0.5');
    expect(clientAddress('10.0.0.5', ' , ', 1)).toBe('10.0.0.5');
  });
});
