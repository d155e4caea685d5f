"""The scan as named stages: analyse, exact groups, boilerplate, candidates, verify, cluster, report."""
