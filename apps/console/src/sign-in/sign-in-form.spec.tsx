import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { clearApiKey, loadApiKey, saveApiKey } from '../api/session';
import { SignInForm } from './sign-in-form';

describe('signing in', () => {
  it('takes the key from a labelled password field, trimmed', async () => {
    const user = userEvent.setup();
    const onSignIn = vi.fn();
    render(<SignInForm onSignIn={onSignIn} error={null} busy={false} />);
    const field = screen.getByLabelText('Workspace API key');
    expect(field).toHaveAttribute('type', 'password');
    await user.type(field, '  hk_abc123  {Enter}');
    expect(onSignIn).toHaveBeenCalledWith('hk_abc123');
  });

  it('shows why a key was refused, tied to the form', () => {
    render(<SignInForm onSignIn={vi.fn()} error="This API key is not valid (or was revoked)." busy={false} />);
    expect(screen.getByRole('alert')).toHaveTextContent('not valid');
    expect(screen.getByLabelText('Workspace API key')).toHaveAttribute('aria-invalid', 'true');
  });

  it('keeps the key in session storage only, and forgets it on sign-out', () => {
    saveApiKey('hk_secret');
    expect(loadApiKey()).toBe('hk_secret');
    expect(window.sessionStorage.getItem('hookline.apiKey')).toBe('hk_secret');
    expect(window.localStorage.length).toBe(0);
    expect(document.cookie).not.toContain('hk_secret');
    clearApiKey();
    expect(loadApiKey()).toBeNull();
  });
});
