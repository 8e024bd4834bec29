export type CredentialsFormat = 'json' | 'env';
export type CredentialsProtocol = 'postgres' | 'mysql';

export type CredentialsDownload = {
  format: CredentialsFormat;
  protocol: CredentialsProtocol;
  /** The one-time token from create/rotate: the file then carries the password (once). */
  token?: string | null;
};

/**
 * Downloads a credential's file from its `downloadPath` by POSTing a plain form, so that the
 * one-time token never lands in a URL (history, proxy or server logs). The server answers
 * with an attachment, so the page stays where it is.
 */
export function downloadCredentials(downloadPath: string, { format, protocol, token }: CredentialsDownload): void {
  const form = document.createElement('form');
  form.method = 'POST';
  form.action = downloadPath;
  form.hidden = true;
  const fields: Record<string, string> = { format, protocol, ...(token ? { token } : {}) };
  for (const [name, value] of Object.entries(fields)) {
    const input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    form.appendChild(input);
  }
  document.body.appendChild(form);
  try {
    form.submit();
  } finally {
    form.remove();
  }
}
