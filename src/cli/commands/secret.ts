import type { Command } from 'commander';
import { TransferError } from '../../connectors/errors.js';
import { namedSecretKey } from '../../security/secretKeys.js';
import type { Workspace } from '../../workspace/Workspace.js';
import { print, readSecretFromStdin, type CliIo } from '../io.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * `ferry secret`: named secrets that job files and settings refer to by name (an HTTP route's API key,
 * an SMTP password), kept in the encrypted secret store so that no job file holds one.
 */
export function registerSecretCommands(program: Command, io: CliIo, workspace: () => Workspace): void {
  const secret = program.command('secret').description('named secrets for job files and settings (API keys, SMTP passwords)');
  secret
    .command('set <name>')
    .description('store a secret read from standard input (e.g. echo "$KEY" | ferry secret set erp-api-key)')
    .action(async (name: string) => {
      checkName(name);
      const value = await readSecretFromStdin(io);
      if (value === '') throw new TransferError('config', 'No secret on standard input');
      await workspace().secrets.set(namedSecretKey(name), value);
      print(io, `Stored the secret "${name}".`);
    });
  secret
    .command('remove <name>')
    .description('forget a stored secret')
    .action(async (name: string) => {
      checkName(name);
      await workspace().secrets.delete(namedSecretKey(name));
      print(io, `Removed the secret "${name}".`);
    });
}

function checkName(name: string): void {
  if (!NAME.test(name)) throw new TransferError('config', `"${name}" is not a secret name: letters, digits, ".", "_" and "-"`);
}
