/**
 * Seals credential secrets at rest with AES-256-GCM. The data key is either a
 * KMS data key (envelope encryption; `kms:<key id>`) or a 32-byte key read from
 * a file (`file:<path>`), chosen by configuration, like an endpoint.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KMSClient } from '@aws-sdk/client-kms';

export interface SealedSecret {
  /** base64 of iv | tag | ciphertext */
  data: string;
  /** The data key, encrypted by KMS (absent for a file key). */
  wrappedKey?: string;
}

export interface SecretCipher {
  seal(plain: Record<string, string>): Promise<SealedSecret>;
  open(sealed: SealedSecret): Promise<Record<string, string>>;
}

function encrypt(key: Buffer, plain: Record<string, string>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(plain), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

function decrypt(key: Buffer, data: string): Record<string, string> {
  const raw = Buffer.from(data, 'base64');
  const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Record<string, string>;
}

export function fileKeyCipher(key: Buffer): SecretCipher {
  if (key.length !== 32) throw new Error('The secrets key must be 32 bytes');
  return {
    seal: async (plain) => ({ data: encrypt(key, plain) }),
    open: async (sealed) => decrypt(key, sealed.data),
  };
}

type KmsSdk = typeof import('@aws-sdk/client-kms');

/** The KMS SDK and client are loaded at the first seal or open: functions that never touch a secret do not pay their import. */
export function kmsCipher(keyId: string, load: () => Promise<KmsSdk> = () => import('@aws-sdk/client-kms')): SecretCipher {
  let ready: Promise<{ sdk: KmsSdk; kms: KMSClient }> | undefined;
  const client = () => (ready ??= load().then((sdk) => ({ sdk, kms: new sdk.KMSClient({}) })));
  return {
    async seal(plain) {
      const { sdk, kms } = await client();
      const out = await kms.send(new sdk.GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }));
      const key = Buffer.from(out.Plaintext!);
      return { data: encrypt(key, plain), wrappedKey: Buffer.from(out.CiphertextBlob!).toString('base64') };
    },
    async open(sealed) {
      const { sdk, kms } = await client();
      const out = await kms.send(new sdk.DecryptCommand({ CiphertextBlob: Buffer.from(sealed.wrappedKey!, 'base64') }));
      return decrypt(Buffer.from(out.Plaintext!), sealed.data);
    },
  };
}

/** Builds the cipher named by `SLIPWAY_SECRETS_KEY`. */
export function cipherFromSpec(spec: string): SecretCipher {
  if (spec.startsWith('kms:')) return kmsCipher(spec.slice(4));
  if (spec.startsWith('file:')) return fileKeyCipher(Buffer.from(readFileSync(spec.slice(5), 'utf8').trim(), 'base64'));
  throw new Error('SLIPWAY_SECRETS_KEY must start with kms: or file:');
}
