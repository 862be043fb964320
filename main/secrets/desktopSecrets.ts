import type { SecretStore } from '../../src/security/SecretStore.js';

/**
 * The desktop app's view of secrets: what it stores goes to the keychain store; what the command line
 * stored (`ferry connection add`, `ferry secret set`) is still found, so a connection made in a terminal
 * works in the window. The command line cannot reach the keychain, so a secret entered in the window
 * is the desktop's alone (docs/desktop.md says how to give it to the command line too).
 */
export function desktopSecrets(keychain: SecretStore, commandLine: SecretStore): SecretStore {
  return {
    async get(key) {
      return (await keychain.get(key)) ?? commandLine.get(key);
    },
    set: (key, value) => keychain.set(key, value),
    // From both: a secret removed in the window must not come back from the command line's copy.
    async delete(key) {
      await keychain.delete(key);
      await commandLine.delete(key);
    },
  };
}
