"""Staff sign-in, the second factor, lockout and session expiry (on django-two-factor-auth).

Uses no other app of this project; the others use it (DESIGN.md).
"""
