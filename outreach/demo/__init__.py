"""A demo organisation with synthetic, properly encrypted records, so a new user sees a living
system. Every name here is invented; nothing resembles a real household."""
