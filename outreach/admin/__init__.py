"""Running the organisation from the app: audit log, devices, people, teams, enrolment codes,
household erasure and break-the-glass access. Stands above sync (erasure goes through it)."""
