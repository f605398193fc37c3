"""The branch manager's app: live floor, reports, complaints, configuration, audit."""
