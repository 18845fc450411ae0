import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../../lib/server/env';

function failure(source: Record<string, string | undefined>): string {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error.message;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to be refused`);
}

describe('environment', () => {
  it('an empty environment gives the documented defaults', () => {
    expect(parseEnv({})).toEqual({
      NODE_ENV: 'development',
      PORT: 3000,
      HOST: '0.0.0.0',
      FLOWBOARD_DB: 'data/flowboard.db',
      FLOWBOARD_SEED: true,
      FLOWBOARD_WRITE_RATE: 20,
      FLOWBOARD_WRITE_BURST: 40,
      FLOWBOARD_SOCKETS_PER_ACCOUNT: 20,
      FLOWBOARD_TRUSTED_PROXIES: 0,
      FLOWBOARD_SIGNUP: 'open',
      FLOWBOARD_AUTH_RATE_LIMIT: true,
      FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: false,
    });
  });

  it('values are parsed into their types', () => {
    expect(parseEnv({ NODE_ENV: 'production', PORT: '8080', HOST: '127.0.0.1', FLOWBOARD_DB: '/srv/fb.db', FLOWBOARD_SEED: 'false' })).toEqual({
      NODE_ENV: 'production',
      PORT: 8080,
      HOST: '127.0.0.1',
      FLOWBOARD_DB: '/srv/fb.db',
      FLOWBOARD_SEED: false,
      FLOWBOARD_WRITE_RATE: 20,
      FLOWBOARD_WRITE_BURST: 40,
      FLOWBOARD_SOCKETS_PER_ACCOUNT: 20,
      FLOWBOARD_TRUSTED_PROXIES: 0,
      FLOWBOARD_SIGNUP: 'open',
      FLOWBOARD_AUTH_RATE_LIMIT: true,
      FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: false,
    });
    expect(parseEnv({ PORT: '0' }).PORT).toBe(0);
    expect(parseEnv({ FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: 'true' }).FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE).toBe(true);
    expect(failure({ FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE: 'yes' })).toMatch(/FLOWBOARD_WEBHOOKS_ALLOW_PRIVATE/);
    expect(parseEnv({ FLOWBOARD_SEED: '0' }).FLOWBOARD_SEED).toBe(false);
    expect(parseEnv({ FLOWBOARD_SEED: '1' }).FLOWBOARD_SEED).toBe(true);
  });

  it('a PORT that is not a whole number from 0 to 65535 is refused with a message naming it and its value', () => {
    for (const port of ['abc', '-1', '65536', '80.5', '1e3', '0x50', '', ' ']) {
      const message = failure({ PORT: port });
      expect(message, port).toMatch(/^Invalid environment:\n {2}PORT: /);
      expect(message, port).toContain(`(got ${JSON.stringify(port)})`);
    }
  });

  it('the auth settings: a secret of at least 32 characters, origins as a list, write rates as whole numbers', () => {
    const secret = 's'.repeat(32);
    expect(parseEnv({ BETTER_AUTH_SECRET: secret }).BETTER_AUTH_SECRET).toBe(secret);
    expect(failure({ BETTER_AUTH_SECRET: 'short' })).toMatch(/BETTER_AUTH_SECRET: use at least 32/);
    expect(failure({ FLOWBOARD_SECRET: 'short' })).toMatch(/FLOWBOARD_SECRET/);
    expect(parseEnv({ FLOWBOARD_ORIGIN: 'https://flow.example.com, http://localhost:3000/' }).FLOWBOARD_ORIGIN).toEqual(['https://flow.example.com', 'http://localhost:3000']);
    for (const origin of ['flow.example.com', 'https://flow.example.com/boards', '', ' , ']) expect(failure({ FLOWBOARD_ORIGIN: origin }), origin).toMatch(/FLOWBOARD_ORIGIN/);
    expect(parseEnv({ FLOWBOARD_WRITE_RATE: '0', FLOWBOARD_WRITE_BURST: '500' })).toMatchObject({ FLOWBOARD_WRITE_RATE: 0, FLOWBOARD_WRITE_BURST: 500 });
    expect(failure({ FLOWBOARD_WRITE_RATE: '2.5' })).toMatch(/FLOWBOARD_WRITE_RATE/);
    expect(parseEnv({ FLOWBOARD_SOCKETS_PER_ACCOUNT: '5' }).FLOWBOARD_SOCKETS_PER_ACCOUNT).toBe(5);
    for (const cap of ['0', '-3', 'many', '2.5']) expect(failure({ FLOWBOARD_SOCKETS_PER_ACCOUNT: cap }), cap).toMatch(/FLOWBOARD_SOCKETS_PER_ACCOUNT: .*\(got /);
    expect(parseEnv({ FLOWBOARD_SIGNUP: 'invite' }).FLOWBOARD_SIGNUP).toBe('invite');
    expect(parseEnv({ FLOWBOARD_TRUSTED_PROXIES: '2' }).FLOWBOARD_TRUSTED_PROXIES).toBe(2);
    expect(failure({ FLOWBOARD_TRUSTED_PROXIES: 'yes' })).toMatch(/FLOWBOARD_TRUSTED_PROXIES/);
    expect(failure({ FLOWBOARD_SIGNUP: 'closed' })).toMatch(/FLOWBOARD_SIGNUP: .*\(got "closed"\)/);
  });

  it('other bad values are refused by name, all of them in one message', () => {
    const message = failure({ NODE_ENV: 'staging', FLOWBOARD_SEED: 'yes', HOST: '' });
    expect(message.split('\n')).toEqual([
      'Invalid environment:',
      expect.stringMatching(/^ {2}NODE_ENV: .*\(got "staging"\)$/),
      expect.stringMatching(/^ {2}HOST: .*\(got ""\)$/),
      expect.stringMatching(/^ {2}FLOWBOARD_SEED: .*\(got "yes"\)$/),
    ]);
  });
});
