"""Legal channels and legal aid (诉访分离与法律援助)."""
