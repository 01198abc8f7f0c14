import ssh2 from 'ssh2';

/** An ed25519 pair ssh2 can parse back (1.17 now and then emits a private key its parser rejects). */
export function keyPair(comment?: string): { private: string; public: string } {
  for (;;) {
    const k = ssh2.utils.generateKeyPairSync('ed25519', comment ? { comment } : {});
    if (!(ssh2.utils.parseKey(k.private) instanceof Error)) return k;
  }
}
