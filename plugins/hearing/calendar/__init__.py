"""The hearing calendar, the iCal export and the per-user subscribable feed (blueprint ``hearing_calendar``)."""
