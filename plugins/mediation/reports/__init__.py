"""The monthly dispute ledger (月报): roll-up, submit (freeze), PDF/xlsx, pages and API."""
