/**
 * The kiosk's terminal token arrives once in the address (`/kiosk?token=…`), is kept in
 * localStorage and then taken out of the address bar, so a restart of the kiosk browser at
 * plain `/kiosk` still works and the token is not left on screen.
 */
export const TOKEN_KEY = 'hall.kiosk.token';

export interface TokenStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ResolvedToken {
  token: string | null;
  /** The address without the token, when it had one. */
  cleanSearch: string | null;
}

export function resolveToken(search: string, storage: TokenStorage): ResolvedToken {
  const params = new URLSearchParams(search);
  const fromUrl = params.get('token')?.trim();
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    params.delete('token');
    const rest = params.toString();
    return { token: fromUrl, cleanSearch: rest ? `?${rest}` : '' };
  }
  const stored = storage.getItem(TOKEN_KEY);
  return { token: stored && stored.trim() ? stored.trim() : null, cleanSearch: null };
}
