"""The audit log: logins, key grants, revocations, exports and admin actions."""
