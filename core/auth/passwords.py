"""Password hashing: scrypt (werkzeug), salted; never stored or logged in clear."""
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8


def hash_password(password: str) -> str:
    return generate_password_hash(password, method="scrypt")


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return check_password_hash(password_hash, password)
    except (ValueError, TypeError):
        return False
