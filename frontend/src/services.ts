import { Api } from './api';
import { Credentials } from './auth/credentials';
import { loadGuestName } from './guest-name';

/**
 * The page's one session store and REST client. A new guest session asks for
 * the name this browser's guest goes by.
 */
export const credentials = new Credentials({ guestName: () => loadGuestName() });
export const api = new Api(credentials);

// another tab logged in or out: follow it
if (typeof window !== 'undefined') {
  window.addEventListener('storage', () => credentials.reload());
}
