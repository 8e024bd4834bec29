export type CredentialsFormat = 'json' | 'env';
export type CredentialsProtocol = 'postgres' | 'mysql';

export type CredentialsDownload = {
  format: CredentialsFormat;
  protocol: CredentialsProtocol;
  /** The token from create/rotate: while it lives, every file made with it carries the password. */
  token?: string | null;
};

/** The server refused the download (an expired token, a deleted credential...). */
export class DownloadError extends Error {
  constructor(
    message: string,
    readonly field: string | null,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/**
 * Downloads a credential's file from its `downloadPath`. The token goes in a POST body, never
 * in a URL (history, proxy or server logs). Fetching instead of submitting a form lets a
 * refusal be shown in the page instead of replacing it with the server's JSON.
 */
export async function downloadCredentials(downloadPath: string, { format, protocol, token }: CredentialsDownload): Promise<void> {
  const body = new URLSearchParams({ format, protocol, ...(token ? { token } : {}) });
  const response = await fetch(downloadPath, { method: 'POST', body, credentials: 'same-origin' });
  if (!response.ok) {
    let message = `The download failed (HTTP ${response.status}).`;
    let field: string | null = null;
    try {
      const payload = (await response.json()) as { error?: { message?: string; field?: string | null } };
      message = payload.error?.message ?? message;
      field = payload.error?.field ?? null;
    } catch {
      // Not JSON: keep the generic message.
    }
    throw new DownloadError(message, field);
  }
  const blob = await response.blob();
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? (format === 'json' ? 'credentials.json' : 'credentials.env');
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.hidden = true;
  document.body.appendChild(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The browser has taken the file once click() returns; free the blob a little later.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
