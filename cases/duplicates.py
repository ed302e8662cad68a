"""Possible duplicates of a new intake: same e-mail or phone, or same birth date and a
similar name in either script ("Дмитрий Политов", "Dmitry Politov", "Dmitrii Politov").

Names are compared as Latin keys by cases.names.similar_names. A pair a user found to be
different people (NotDuplicate) is never suggested again; a case merged into another is
suggested as the case it was merged into.
"""

from django.db.models import Q

from .models import Case, Client, NotDuplicate
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
    own = Case.objects.filter(client=client).values_list("pk", flat=True).first()
    found = list(found.select_related("merged_into").order_by("-pk")[:MAX_DUPLICATES])
    cases = {}
    for case in found:
        while case.merged_into_id:  # the record that holds this person now
            case = case.merged_into
        cases[case.pk] = case
    cases.pop(own, None)
    for pk in dismissed_with(own) if own else ():
        cases.pop(pk, None)
    return sorted(cases.values(), key=lambda case: case.pk)


def dismissed_with(pk: int) -> set[int]:
    """The cases found not to be the same person as this one."""
    pairs = NotDuplicate.objects.filter(Q(case_low_id=pk) | Q(case_high_id=pk))
    return {pair.case_high_id if pair.case_low_id == pk else pair.case_low_id for pair in pairs}
