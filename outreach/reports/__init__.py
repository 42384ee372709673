"""Team figures over reportable meta (PROTOCOL §4), with small cells suppressed."""
