/**
 * Sign in with an API key. The key is checked against the API first: `GET /v1/users`
 * answers an admin key, refuses a user key with 403 and an unknown one with 401, which
 * also tells the console which role it serves; `GET /v1/orders?as=vendor` then tells a
 * vendor (the orders of their products) from a plain user (403).
 */
import { useState } from 'preact/hooks';
import { ApiProblem, request } from './api';
import { ProblemView } from './problem-view';
import { saveSession, type Role, type Session } from './session';
import { useAction } from './use-action';

async function roleOf(apiKey: string): Promise<Role> {
  try {
    await request('GET', '/users', { apiKey, query: { limit: 1 } });
    return 'admin';
  } catch (error) {
    if (!(error instanceof ApiProblem && error.status === 403)) throw error;
  }
  try {
    await request('GET', '/orders', { apiKey, query: { as: 'vendor', limit: 1 } });
    return 'vendor';
  } catch (error) {
    if (error instanceof ApiProblem && error.status === 403) return 'user';
    throw error;
  }
}

export function SignIn({ onSignedIn, reason }: { onSignedIn: (session: Session) => void; reason?: ApiProblem }) {
  const [apiKey, setApiKey] = useState('');
  const { busy, problem, run: act } = useAction({ problem: reason, title: 'Sign-in failed' });

  const submit = (event: Event) => {
    event.preventDefault();
    return act(async () => {
      const session = { apiKey: apiKey.trim(), role: await roleOf(apiKey.trim()) };
      saveSession(session);
      onSignedIn(session);
    });
  };

  return (
    <main class="sign-in">
      <h1>Slipway console</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          spellcheck={false}
          required
          value={apiKey}
          onInput={(e) => setApiKey(e.currentTarget.value)}
          placeholder="slw_…"
        />
        <p class="hint">Kept for this browser tab only (session storage), sent to the API as a Bearer token.</p>
        <button type="submit" disabled={busy || !apiKey.trim()}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
      {problem ? <ProblemView problem={problem} heading="The key was not accepted" /> : null}
    </main>
  );
}
