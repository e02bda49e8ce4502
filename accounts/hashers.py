"""Password hashing: Argon2id with the parameters of the OWASP Password Storage Cheat Sheet.

Django's own Argon2 hasher asks for 100 MiB and 8 lanes; OWASP's recommended minimum, m = 19 MiB, t = 2,
p = 1, is memory-hard against GPU cracking and costs about 20 ms of one core a login, against about 185 ms
for Django's PBKDF2 default (1.000.000 rounds). Fifty colleagues signing in at nine o'clock then cost one
second of processor, not nine. Hashes made by the other hashers still verify and are rewritten to this one
at the user's next login.
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class PortalArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19_456  # KiB
    parallelism = 1
