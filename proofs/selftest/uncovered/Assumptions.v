Print Assumptions Uncovered.listed.
