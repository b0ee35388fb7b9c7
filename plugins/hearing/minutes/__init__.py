"""The minutes (听证笔录), the hearing documents and their pages (blueprint ``hearing_minutes``), and the public
confirmation page (blueprint ``hearing_public``)."""
