import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Config } from '../config';

// The generated first password, kept where the operator can find it after the log has scrolled
// away (as Jenkins and Grafana do), readable by the server's user only, and gone once it is changed.

export const initialPasswordFile = (config: Config): string => join(config.dataDir, 'initial-admin-password');

export function saveInitialPassword(config: Config, password: string): string {
  const file = initialPasswordFile(config);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${password}\n`, { mode: 0o600 });
  // The mode above is masked by the umask, and ignored when the file already existed.
  chmodSync(file, 0o600);
  return file;
}

export function forgetInitialPassword(config: Config): void {
  rmSync(initialPasswordFile(config), { force: true });
}

/** The plain banner printed once on stderr, outside the JSON log lines. */
export function initialPasswordBanner(username: string, password: string, file: string): string {
  const rule = '─'.repeat(72);
  return [
    rule,
    ' Prompt Workshop created its first administrator.',
    `   username: ${username}`,
    `   password: ${password}`,
    ` The password is also in ${file} (readable by this user only),`,
    ' which is removed once the password is changed:',
    `   npx prompt-workshop users reset-password ${username} --password <new password>`,
    rule,
    '',
  ].join('\n');
}
