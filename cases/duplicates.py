"""Possible duplicates of a new intake: same e-mail or phone, or same birth date and a
similar name in either script ("Дмитрий Политов", "Dmitry Politov", "Dmitrii Politov").

Names are compared as Latin keys by cases.names.similar_names.
"""

from django.db.models import Q

from .models import Case, Client
from .names import KEY_FIELDS, similar_names

# One person who writes in again and again is still one line to look at, not hundreds.
MAX_DUPLICATES = 20


def find_possible_duplicates(client) -> list[Case]:
    """The newest MAX_DUPLICATES cases that look like the same person, oldest first."""
    same_contact = Q(pk__in=[])
    if client.email:
        same_contact |= Q(client__email__iexact=client.email)
    if client.phone:
        same_contact |= Q(client__phone=client.phone)
    same_birthday = Client.objects.filter(date_of_birth=client.date_of_birth).exclude(pk=client.pk)
    similar_rows = similar_names(same_birthday.only("pk", *KEY_FIELDS),
                                 [client.name_key_latin, client.name_key_native])  # fmt: skip
    similar = Q(client_id__in=[row.pk for row in similar_rows])
    found = Case.objects.filter(same_contact | similar).exclude(client=client)
    return sorted(found.order_by("-pk")[:MAX_DUPLICATES], key=lambda case: case.pk)
