// The desktop app's secret store seals its file with Electron's safeStorage (the OS keychain:
// Keychain on macOS, DPAPI on Windows, the Secret Service or kwallet on Linux), so a copied data
// folder does not carry readable passwords. Where no keychain is available, the 0600 file is kept
// plain, as the CLI keeps it.
import { safeStorage } from 'electron';
import { FileSecretStore, plainCodec, type SecretCodec, type SecretStore } from '../core/secrets/secret-store.js';
import { layout } from '../core/paths.js';

const sealedCodec: SecretCodec = {
  name: 'safeStorage',
  seal: (text) => safeStorage.encryptString(text),
  open: (sealed) => safeStorage.decryptString(sealed),
};

/** The desktop app's secret store in `home` (call after app ready: safeStorage needs it). */
export function desktopSecretStore(home: string): SecretStore {
  const paths = layout(home);
  return safeStorage.isEncryptionAvailable()
    ? new FileSecretStore(paths.sealedSecrets, sealedCodec)
    : new FileSecretStore(paths.secrets, plainCodec);
}
