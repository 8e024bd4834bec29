export type CredentialsFormat = 'json' | 'env';

/** The download endpoint; the one-time token makes the file carry the password. */
export function credentialsDownloadUrl(credentialId: string, format: CredentialsFormat, token?: string | null): string {
  const params = new URLSearchParams({ format });
  if (token) params.set('token', token);
  return `/api/credentials/${encodeURIComponent(credentialId)}/download?${params.toString()}`;
}
