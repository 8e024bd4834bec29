export type CredentialsFormat = 'json' | 'env';
export type CredentialsProtocol = 'postgres' | 'mysql';

/**
 * The credential's download (its `downloadPath` from the API) as credentials.json or .env;
 * the one-time token from create/rotate makes the file carry the password.
 */
export function credentialsDownloadUrl(
  downloadPath: string,
  format: CredentialsFormat,
  protocol: CredentialsProtocol,
  token?: string | null,
): string {
  const url = new URL(downloadPath, 'http://placeholder');
  url.searchParams.set('format', format);
  url.searchParams.set('protocol', protocol);
  if (token) url.searchParams.set('token', token);
  return `${url.pathname}${url.search}`;
}
