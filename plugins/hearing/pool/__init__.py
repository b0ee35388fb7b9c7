"""The panelist pool (专家库), the hearing rooms and the panel of one hearing (blueprint ``hearing_pool``)."""
