// The server's sign-up rules (backend/core/services/accounts.py: normalise_email,
// check_password_strength), mirrored so the form says what the server will accept. The server
// stays the authority: a refusal it sends is shown on the field it names.
export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 256;
const MIN_DISTINCT = 4;
const EMAIL = /^[^@\s]{1,64}@[^@\s]+\.[^@\s]+$/;

/** Python counts code points; so does this (a string's length counts UTF-16 units). */
const codePoints = (value: string) => [...value];

export function passwordProblem(password: string): string | null {
  const chars = codePoints(password);
  if (chars.length < MIN_PASSWORD) return `Use a password of at least ${MIN_PASSWORD} characters.`;
  if (chars.length > MAX_PASSWORD) return `Use at most ${MAX_PASSWORD} characters.`;
  if (new Set(chars).size < MIN_DISTINCT) return 'That password is too easy to guess.';
  return null;
}

export function emailProblem(email: string): string | null {
  const value = email.trim().toLowerCase();
  return value.length <= 254 && EMAIL.test(value) ? null : 'Enter a valid email address.';
}
