import { z } from 'zod';

const PORT_RULE = 'expected a whole number from 0 (any free port) to 65535';

/** Every setting the server reads from the environment, parsed once at start. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // Digits only: a blanket number coercion would read an empty PORT as 0 (a random port) and accept 1e3 or 0x50.
  PORT: z
    .string()
    .regex(/^\d{1,5}$/, PORT_RULE)
    .default('3000')
    .transform(Number)
    .pipe(z.number().max(65_535, PORT_RULE)),
  HOST: z.string().min(1).default('0.0.0.0'),
  FLOWBOARD_DB: z.string().min(1).default('data/flowboard.db'),
  /** Seed a demo board when the database is created. */
  FLOWBOARD_SEED: z
    .enum(['true', 'false', '1', '0'])
    .default('true')
    .transform((v) => v === 'true' || v === '1'),
});

export type Env = z.infer<typeof EnvSchema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = EnvSchema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message} (got ${JSON.stringify(source[String(i.path[0])])})`);
    throw new EnvError(`Invalid environment:\n${lines.join('\n')}`);
  }
  return result.data;
}
