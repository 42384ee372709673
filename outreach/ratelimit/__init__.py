"""Rate limits whose counters all workers share (issue 9, finding 9)."""
