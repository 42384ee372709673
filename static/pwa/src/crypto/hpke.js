// HPKE (RFC 9180) base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, via @hpke/core
// on WebCrypto. Single-shot output is enc ‖ ct, as `cryptography`'s Suite.encrypt returns it.
import { Aes128Gcm, CipherSuite, DhkemP256HkdfSha256, HkdfSha256 } from "@hpke/core";
import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { b64uDecode, b64uEncode, concat, utf8 } from "./encoding.js";
import { importEncryptionPrivateKey, importEncryptionPublicKey } from "./keys.js";

const bytes = (input) => (input instanceof Uint8Array ? input
  : ArrayBuffer.isView(input) ? new Uint8Array(input.buffer, input.byteOffset, input.byteLength)
  : new Uint8Array(input));
const arrayBuffer = (view) => view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength);

// The key schedule's HKDF-SHA256 (RFC 9180 §5.1) computed in JS by @noble/hashes instead of
// WebCrypto: the same function on inputs of a few dozen bytes, but @hpke/core's WebCrypto HKDF
// is 10 calls per open (an importKey and a sign or deriveBits each), every one a hop to
// another thread and back; a first pull opens every envelope of the team (bench/client.py).
// The secrets it handles are bytes in JS memory either way (WebCrypto returns them so).
// The KEM keeps its own (native) HKDF: @hpke/core does not let it be replaced.
export class HkdfSha256Js extends HkdfSha256 {
  async extract(salt, ikm) {
    const given = bytes(salt);
    if (given.byteLength !== 0 && given.byteLength !== this.hashSize) {
      throw new Error("The salt length must be the same as the hashSize");
    }
    // An empty salt is HashLen zero bytes (RFC 5869 §2.2); noble reads `undefined` so.
    return arrayBuffer(extract(sha256, bytes(ikm), given.byteLength ? given : undefined));
  }

  async expand(prk, info, len) {
    return arrayBuffer(expand(sha256, bytes(prk), bytes(info), len));
  }

  async extractAndExpand(salt, ikm, info, len) {
    const given = bytes(salt);
    const prk = extract(sha256, bytes(ikm), given.byteLength ? given : undefined);
    return arrayBuffer(expand(sha256, prk, bytes(info), len));
  }
}

// The straightforward path, for the equivalence test (tests/browser/test_crypto_interop.py).
export { HkdfSha256 as HkdfSha256Native };

const suite = new CipherSuite({
  kem: new DhkemP256HkdfSha256(),
  kdf: new HkdfSha256Js(),
  aead: new Aes128Gcm(),
});
const ENC_LENGTH = 65;

export async function hpkeSeal(recipientPublicKey, plaintext, info) {
  const { ct, enc } = await suite.seal({ recipientPublicKey, info: utf8(info) }, plaintext);
  return concat(new Uint8Array(enc), new Uint8Array(ct));
}

// The recipient's public key is part of the HPKE key schedule. Given a bare private key,
// @hpke/core derives it again on every open (a JWK export and an import): about a fifth of a
// first pull's main-thread time (bench/client.py). It is derived once per private key here and
// handed over as a key pair, which @hpke/core takes as it is. Memory only, like the key itself.
const pairs = new WeakMap();

function asKeyPair(privateKey) {
  if (!(privateKey instanceof CryptoKey) || privateKey.type !== "private") return privateKey;
  let pair = pairs.get(privateKey);
  if (!pair) {
    pair = (async () => {
      try {
        const { d: _d, key_ops: _ops, ...jwk } = await crypto.subtle.exportKey("jwk", privateKey);
        const publicKey = await crypto.subtle.importKey(
          "jwk", jwk, { name: "ECDH", namedCurve: "P-256" }, true, []);
        return { privateKey, publicKey };
      } catch {
        return privateKey;  // not exportable as JWK: @hpke/core derives it its own way
      }
    })();
    pairs.set(privateKey, pair);
  }
  return pair;
}

export async function hpkeOpen(recipientKey, sealed, info) {
  const enc = sealed.slice(0, ENC_LENGTH);
  const ct = sealed.slice(ENC_LENGTH);
  return new Uint8Array(await suite.open(
    { recipientKey: await asKeyPair(recipientKey), enc, info: utf8(info) }, ct));
}

// A team key grant: the team's PKCS#8 private key sealed to a member (PROTOCOL §1).
export async function openGrant(grant, memberPrivateKey) {
  return importEncryptionPrivateKey(await hpkeOpen(memberPrivateKey, grant, "outreach/v1 grant"));
}

// The other way: a team's PKCS#8 private key sealed to a member's (or the recovery key's)
// public key, both as base64url the way the server stores them.
export async function sealGrant(teamPkcs8, publicKeyB64u) {
  const recipient = await importEncryptionPublicKey(b64uDecode(publicKeyB64u));
  return b64uEncode(await hpkeSeal(recipient, teamPkcs8, "outreach/v1 grant"));
}
