import type { Settings } from '../config/settings.js';
import { FsTokenStore } from './fs-token-store.js';
import type { TokenStore } from './token-store.js';

/** The token store the settings ask for: files, or the keychain over files (loaded only then). */
export async function openTokenStore(settings: Pick<Settings, 'tokensDir' | 'store'>, warn: (message: string) => void): Promise<TokenStore> {
  const files = new FsTokenStore(settings.tokensDir, { warn });
  if (settings.store !== 'keychain') return files;
  const { KeychainTokenStore, loadKeychain } = await import('./keychain-token-store.js');
  return new KeychainTokenStore(files, await loadKeychain());
}
