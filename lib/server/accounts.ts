import { isAPIError } from 'better-auth/api';
import type { Access, AccountDTO } from '../../db/access';
import { DomainError } from '../shared/domain/errors';
import type { Auth } from './auth';

export interface NewAccount {
  email: string;
  password: string;
  name: string;
  /** Make it an instance admin even when one exists (`cli user:create --admin`). */
  admin?: boolean;
}

/**
 * Creates an account the way the sign-up page does (better-auth hashes the password and runs the
 * same hooks, so the first account still becomes the admin), for the CLI and the tests.
 */
export async function createAccount(auth: Auth, access: Access, input: NewAccount): Promise<AccountDTO> {
  try {
    const { user } = await auth.api.signUpEmail({ body: { email: input.email, password: input.password, name: input.name } });
    if (input.admin) await access.promoteAdmin(user.id, true);
    const account = await access.getUser(user.id);
    if (!account) throw new Error('The new account was not found');
    return account;
  } catch (error) {
    if (isAPIError(error)) throw new DomainError(error.status === 'UNPROCESSABLE_ENTITY' ? 'CONFLICT' : 'INVALID', error.message);
    throw error;
  }
}
