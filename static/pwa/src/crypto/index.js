// The device's crypto door: everything the PWA encrypts, signs or derives goes through here.
export { b64uDecode, b64uEncode, canonicalJson } from "./encoding.js";
export { coarseTime, envelopeFormat, FORMAT, openAccessRecord, openEnvelope, openRecord, recordAad, sealAccessKey,
  sealEnvelope, signingBytes, verifyEnvelope } from "./envelope.js";
export { HkdfSha256Js, HkdfSha256Native, hpkeOpen, hpkeSeal, openGrant, sealGrant } from "./hpke.js";
export { signRecord } from "./sign.js";
export {
  exportPrivateKey, exportPublicKey, generateEncryptionKeyPair, generateSealableSigningKey,
  generateSigningKey, importEncryptionPrivateKey, importEncryptionPublicKey, importSigningKey,
  importVerifyKey,
} from "./keys.js";
export { deriveLoginKeys, unwrapPrivateKey, wrapPrivateKey } from "./passphrase.js";
export { grantStatement, signStatement, statementHash, teamKeyStatement, walkChain } from "./chain.js";
