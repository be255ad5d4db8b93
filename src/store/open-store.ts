import type { SecretRegistry } from '../secrets.js';
import { FsTokenStore } from './fs-token-store.js';
import { SecretRegisteringStore } from './secret-registering-store.js';
import type { TokenStore } from './token-store.js';

/**
 * The token store the settings ask for: files, or the keychain over files (loaded, and asked
 * once, only then), with every secret it handles registered for redaction.
 */
export async function openTokenStore(
  settings: { tokensDir: string; store: 'file' | 'keychain' },
  options: { warn: (message: string) => void; secrets: SecretRegistry; owner: number | undefined },
): Promise<TokenStore> {
  const files = new FsTokenStore(settings.tokensDir, { warn: options.warn, owner: options.owner });
  if (settings.store !== 'keychain') return new SecretRegisteringStore(files, options.secrets);
  const { KeychainTokenStore, loadKeychain } = await import('./keychain-token-store.js');
  const tokens = new KeychainTokenStore(files, await loadKeychain());
  // Tokens written to files before the keychain was chosen do not stay there.
  for (const file of await tokens.moveFileTokens()) {
    options.warn(`moved the tokens of ${file} into the OS keychain; the file now holds only their metadata`);
  }
  return new SecretRegisteringStore(tokens, options.secrets);
}
