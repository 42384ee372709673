"""Organisation, teams, areas and team membership."""
