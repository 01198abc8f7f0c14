import { createHash } from 'node:crypto';

/** DigitalOcean's key fingerprint: MD5 of the decoded key blob, as colon-separated hex. */
export function md5Fingerprint(publicKey: string): string | undefined {
  const blob = publicKey.trim().split(/\s+/)[1];
  if (!blob || !/^[A-Za-z0-9+/]+=*$/.test(blob)) return undefined;
  const bytes = Buffer.from(blob, 'base64');
  if (bytes.length < 16) return undefined;
  return createHash('md5').update(bytes).digest('hex').match(/../g)!.join(':');
}
