/**
 * WinSCP's stored-password obfuscation (its `EncryptPassword`/`DecryptPassword`, "simple" algorithm):
 * each byte is written as two hex digits of `~(byte ^ 0xA3)`; the stored text is a flag, a length, a
 * count of random padding bytes, the padding, then the user name and host followed by the password.
 * It is an obfuscation, not encryption: anyone with the file can reverse it, which is why Ferry moves
 * such passwords into its secret store.
 */
const MAGIC = 0xa3;
const FLAG = 0xff;

/** The password, or undefined when the text is not one WinSCP wrote for this user and host. */
export function decodeWinScpPassword(stored: string, user: string, host: string): string | undefined {
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(stored)) return undefined;
  const bytes: number[] = [];
  for (let i = 0; i < stored.length; i += 2) bytes.push(~(Number.parseInt(stored.slice(i, i + 2), 16) ^ MAGIC) & 0xff);
  let at = 0;
  const next = (): number | undefined => bytes[at++];
  const flag = next();
  let length: number | undefined;
  if (flag === FLAG) {
    next();
    length = next();
  } else {
    length = flag;
  }
  const padding = next();
  if (length === undefined || padding === undefined) return undefined;
  at += padding;
  const clear = bytes.slice(at, at + length);
  if (clear.length !== length) return undefined;
  const text = Buffer.from(clear).toString('utf8');
  if (flag !== FLAG) return text;
  // The flagged form salts the password with the user name and host; a mismatch means another site's text.
  const key = user + host;
  return text.startsWith(key) ? text.slice(key.length) : undefined;
}
