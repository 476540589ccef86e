/**
 * The signed-in caller, kept for this browser tab's session only (sessionStorage):
 * closing the tab forgets the API key; nothing is written to localStorage or cookies.
 */
const KEY = 'slipway.apiKey';
const ROLE = 'slipway.role';

/** `vendor`: a user who also sells products in the app store. */
export type Role = 'admin' | 'vendor' | 'user';

export interface Session {
  apiKey: string;
  role: Role;
}

export function loadSession(): Session | undefined {
  const apiKey = sessionStorage.getItem(KEY);
  const role = sessionStorage.getItem(ROLE);
  return apiKey && (role === 'admin' || role === 'vendor' || role === 'user') ? { apiKey, role } : undefined;
}

export function saveSession(session: Session): void {
  sessionStorage.setItem(KEY, session.apiKey);
  sessionStorage.setItem(ROLE, session.role);
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ROLE);
}
