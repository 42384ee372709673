// Logging in once online: the passphrase is stretched on the device and never sent.
import { call } from "./api.js";
import * as oc from "./crypto/index.js";
import { loadSession, saveSession } from "./store/db.js";

export async function login(username, passphrase) {
  const { kdf } = await call("/auth/prelogin", { body: { username } });
  const keys = await oc.deriveLoginKeys(passphrase, oc.b64uDecode(kdf.salt), kdf.iterations);
  // A login is a new device: its signing key exists only sealed in the vault (lock.js), which a
  // new login replaces, so there is no earlier key to reuse.
  const signing = await oc.generateSealableSigningKey();
  const body = {
    username, auth_key: oc.b64uEncode(keys.authKey),
    device: { name: navigator.userAgent.slice(0, 100),
              signing_public_key: oc.b64uEncode(await oc.exportPublicKey(signing.publicKey)) },
  };
  const tokens = await call("/auth/login", { body });
  return sessionFrom(tokens, keys, signing);
}

async function sessionFrom(tokens, keys, signing) {
  const session = {
    username: tokens.user.username, userId: tokens.user.id, role: tokens.user.role,
    displayName: tokens.user.display_name,
    teams: tokens.user.teams, deviceId: tokens.device_id, policy: tokens.device_policy,
    signingKey: { privateKey: await oc.importSigningKey(signing.pkcs8) },
    accessToken: tokens.access_token, refreshToken: tokens.refresh_token,
    accessExpiresAt: Date.now() + (tokens.access_expires_in ?? 0) * 1000,
    lastContact: new Date().toISOString(),
  };
  await saveSession(session);  // the clear part only (store/db.js); the rest waits for the PIN
  // The wrap key and the signing key's PKCS#8 are returned, never stored in the clear: they are
  // sealed under the PIN the worker chooses next.
  return { session, wrapKey: keys.wrapKey, signingPkcs8: signing.pkcs8 };
}

export { loadSession };

// Enrolling with a one-time code (an admin's invitation): the passphrase is chosen here, on the
// new user's own phone, and only what a login needs reaches the server (PROTOCOL §1).
export async function previewEnrolment(code) {
  return call("/auth/enrolment", { body: { code } });
}

export async function enrol(code, passphrase, iterations) {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const keys = await oc.deriveLoginKeys(passphrase, salt, iterations);
  const userPair = await oc.generateEncryptionKeyPair();
  const { iv, wrapped } = await oc.wrapPrivateKey(keys.wrapKey, await oc.exportPrivateKey(userPair.privateKey));
  const signing = await oc.generateSealableSigningKey();
  const tokens = await call("/auth/enrol", { body: {
    code, kdf: { name: "PBKDF2-SHA256", iterations, salt: oc.b64uEncode(salt) },
    auth_key: oc.b64uEncode(keys.authKey),
    public_key: oc.b64uEncode(await oc.exportPublicKey(userPair.publicKey)),
    wrapped_private_key: oc.b64uEncode(wrapped), iv: oc.b64uEncode(iv),
    device: { name: navigator.userAgent.slice(0, 100),
              signing_public_key: oc.b64uEncode(await oc.exportPublicKey(signing.publicKey)) },
  } });
  return sessionFrom(tokens, keys, signing);
}
