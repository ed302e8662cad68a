import pytest

from .helpers import staff_member


@pytest.fixture
def lawyer():
    return staff_member("lawyer", "attorneys")


@pytest.fixture
def paralegal():
    return staff_member("paralegal", "staff")


@pytest.fixture
def boss():
    from django.contrib.auth.models import User

    from .helpers import PASSWORD

    return User.objects.create_superuser("boss", "boss@firm.example", PASSWORD)
