// Logging in once online: the passphrase is stretched on the device and never sent.
import { call } from "./api.js";
import * as oc from "./crypto/index.js";
import { loadSession, saveSession } from "./store/db.js";

export async function login(username, passphrase) {
  const { kdf } = await call("/auth/prelogin", { body: { username } });
  const keys = await oc.deriveLoginKeys(passphrase, oc.b64uDecode(kdf.salt), kdf.iterations);
  const existing = await loadSession();
  const device = existing?.username === username.toLowerCase() ? existing : null;
  const signing = device?.signingKey ?? await oc.generateSigningKey();
  const body = { username, auth_key: oc.b64uEncode(keys.authKey) };
  if (device?.deviceId) {
    body.device_id = device.deviceId;
  } else {
    body.device = { name: navigator.userAgent.slice(0, 100),
                    signing_public_key: oc.b64uEncode(await oc.exportPublicKey(signing.publicKey)) };
  }
  const tokens = await call("/auth/login", { body });
  const session = {
    username: tokens.user.username, userId: tokens.user.id, role: tokens.user.role,
    teams: tokens.user.teams, deviceId: tokens.device_id, signingKey: signing,
    accessToken: tokens.access_token, refreshToken: tokens.refresh_token,
    lastContact: new Date().toISOString(),
  };
  await saveSession(session);
  // The wrap key is returned, never stored: it unlocks the keyring for this run only.
  return { session, wrapKey: keys.wrapKey };
}

export { loadSession };
