// The one token refresher of this device (issue 12). Every tab, screen and the sync loop refresh
// through refreshSession(): a refresh token is single use, and presenting a spent one makes the
// server revoke the whole family (PROTOCOL §1.4), which in the field logs the worker out until
// there is signal again. A Web Lock (shared by all tabs of the origin) lets one refresh run at a
// time; whoever waited finds the stored tokens already replaced and uses those. At rest the
// tokens are only in the PIN vault (lock.js, issue 14): a locked page has none and cannot
// refresh; the vault's token slot is read and written here only.
import { call, ProblemError } from "./api.js";
import { isUnlocked, openTokens, sealTokens } from "./lock.js";
import { updateSession } from "./store/db.js";

const LOCK = "outreach-token-refresh";
// A stored access token this close to its end is not worth a request: refresh instead.
const EARLY_MS = 5000;

function withLock(run) {
  // Every browser the app supports has Web Locks; without them, at least this tab is guarded.
  return navigator.locks?.request ? navigator.locks.request(LOCK, run) : run();
}

// Returns `stale` with fresh tokens.
export function refreshSession(stale) {
  return withLock(async () => {
    if (!isUnlocked()) throw new ProblemError({ type: "/problems/locked" }, 401);
    const stored = await openTokens();
    // Another tab or screen refreshed while this one waited: its access token, while it lasts.
    if (stored?.refreshToken && stored.refreshToken !== stale.refreshToken
        && (stored.accessExpiresAt ?? 0) > Date.now() + EARLY_MS) {
      return { ...stale, ...pick(stored) };
    }
    // Always the newest refresh token this device holds: an older one is spent.
    const refreshToken = stored?.refreshToken ?? stale.refreshToken;
    const tokens = await call("/auth/refresh", { body: { refresh_token: refreshToken } });
    const fresh = { accessToken: tokens.access_token, refreshToken: tokens.refresh_token,
                    accessExpiresAt: Date.now() + (tokens.access_expires_in ?? 0) * 1000 };
    await sealTokens(fresh);
    const policy = tokens.device_policy ?? stale.policy;
    await updateSession({ policy });
    return { ...stale, ...fresh, policy };
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
