"""Court-linked mediation (issue 21, contract §10): court-commissioned and pre-suit cases, the mediator roster,
case-file reviews and 以案定补 subsidies; wired in by ``court.plugin.setup``."""
