"""People's mediation committees per region and their mediators: lookups, recusal, pages and API."""
