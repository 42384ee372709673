// The one token refresher of this device (issue 12). Every tab, screen and the sync loop refresh
// through refreshSession(): a refresh token is single use, and presenting a spent one makes the
// server revoke the whole family (PROTOCOL §1.4), which in the field logs the worker out until
// there is signal again. A Web Lock (shared by all tabs of the origin) lets one refresh run at a
// time; whoever waited finds the stored tokens already replaced and uses those.
import { call, ProblemError } from "./api.js";
import { loadSession, updateSession } from "./store/db.js";

const LOCK = "outreach-token-refresh";
// A stored access token this close to its end is not worth a request: refresh instead.
const EARLY_MS = 5000;

function withLock(run) {
  // Every browser the app supports has Web Locks; without them, at least this tab is guarded.
  return navigator.locks?.request ? navigator.locks.request(LOCK, run) : run();
}

// Returns `stale` with fresh tokens. Storage is read and written here only (store/db.js), so a
// change of how tokens are kept at rest stays in one place.
export function refreshSession(stale) {
  return withLock(async () => {
    const stored = await loadSession();
    const mine = stored && stored.deviceId === stale.deviceId;
    // Another tab or screen refreshed while this one waited: its access token, while it lasts.
    if (mine && stored.refreshToken !== stale.refreshToken
        && (stored.accessExpiresAt ?? 0) > Date.now() + EARLY_MS) {
      return { ...stale, ...pick(stored) };
    }
    // Always the newest refresh token this device holds: an older one is spent.
    const refreshToken = mine ? stored.refreshToken : stale.refreshToken;
    const tokens = await call("/auth/refresh", { body: { refresh_token: refreshToken } });
    const fresh = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token,
                    accessExpiresAt: Date.now() + (tokens.access_expires_in ?? 0) * 1000 };
    await updateSession(fresh);
    return { ...stale, ...fresh };
  });
}

const pick = ({ accessToken, refreshToken, accessExpiresAt }) => ({ accessToken, refreshToken, accessExpiresAt });

// A call to the server with the session's access token, refreshed once if it expired. `ctx` is
// the open app (its `session` is replaced by the refreshed one).
export async function withFreshToken(ctx, request) {
  try {
    return await request(ctx.session.accessToken);
  } catch (exc) {
    if (!(exc instanceof ProblemError) || exc.status !== 401
        || exc.problem?.type === "/problems/device-revoked") throw exc;
    ctx.session = await refreshSession(ctx.session);
    return request(ctx.session.accessToken);
  }
}
