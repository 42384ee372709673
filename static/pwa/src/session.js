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
