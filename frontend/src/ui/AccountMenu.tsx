import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { PASSWORD_MAX, USERNAME_MAX } from '../protocol';
import { credentials } from '../services';

/**
 * Who this browser is: a guest (with "Log in" to open the account form) or an
 * account (with "Log out"). Logging in or out replaces the session token; an
 * open room joins again with it.
 */
export function AccountMenu() {
  const user = credentials.user.value;
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  if (user?.kind === 'account') {
    return (
      <div class="account">
        <span class="account-name" data-testid="account-name" title={user.username ? `@${user.username}` : undefined}>
          {user.name}
        </span>
        <button
          type="button"
          data-testid="logout"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await credentials.logout();
            } finally {
              setBusy(false);
            }
          }}
        >
          Log out
        </button>
      </div>
    );
  }

  return (
    <div class="account">
      {user !== null && (
        <span class="account-name guest" data-testid="account-name">
          {user.name}
        </span>
      )}
      <button
        type="button"
        data-testid="login-open"
        aria-expanded={open}
        aria-controls="login-panel"
        onClick={() => setOpen(!open)}
      >
        Log in
      </button>
      {open && <LoginPanel onDone={() => setOpen(false)} />}
    </div>
  );
}

function LoginPanel({ onDone }: { onDone(): void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const first = useRef<HTMLInputElement>(null);

  useEffect(() => first.current?.focus(), []);

  const submit = async (mode: 'login' | 'register') => {
    if (busy) return;
    setBusy(true);
    setError(null);
    try {
      if (mode === 'login') await credentials.login(username, password);
      else await credentials.register(username, password);
      onDone();
    } catch (e) {
      setError(e instanceof ApiError ? e.message : 'That did not work. Please try again.');
      setBusy(false);
    }
  };

  return (
    <form
      id="login-panel"
      class="popover login-panel"
      data-testid="login-panel"
      onSubmit={(event) => {
        event.preventDefault();
        void submit('login');
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') onDone();
      }}
    >
      <label for="login-username">Username</label>
      <input
        id="login-username"
        ref={first}
        data-testid="login-username"
        type="text"
        autocomplete="username"
        autocapitalize="none"
        spellcheck={false}
        maxLength={USERNAME_MAX}
        value={username}
        onInput={(event) => setUsername(event.currentTarget.value)}
      />
      <label for="login-password">Password</label>
      <input
        id="login-password"
        data-testid="login-password"
        type="password"
        autocomplete="current-password"
        maxLength={PASSWORD_MAX}
        value={password}
        onInput={(event) => setPassword(event.currentTarget.value)}
      />
      {error !== null && (
        <p class="form-error" role="alert" data-testid="login-error">
          {error}
        </p>
      )}
      <div class="row">
        <button type="submit" class="primary" data-testid="login-submit" disabled={busy}>
          Log in
        </button>
        <button type="button" data-testid="register-submit" disabled={busy} onClick={() => void submit('register')}>
          Create account
        </button>
      </div>
      <p class="hint">A new account needs a username of 3 to 32 letters, digits, “.”, “_” or “-”, and a password of at least 8 characters.</p>
    </form>
  );
}
