"""Hostile security-key responses: random JSON, and responses shaped like a browser's with random
bytes inside, posted where a key is added and where it signs in. Each is refused with a message,
never a 500, and none adds a key or signs anyone in. The budget is FUZZ_EXAMPLES (default 3)
times 10 per endpoint."""

import json
import os

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse
from fido2.utils import websafe_encode
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD, UserFactory, give_security_key

pytestmark = pytest.mark.django_db
EXAMPLES = 10 * int(os.environ.get("FUZZ_EXAMPLES", "3"))
# The refusal must be on the page: the credential is a hidden field, and no template shows the
# errors of hidden fields.
REFUSAL = 'class="alert alert-block alert-danger"'

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
encoded = st.binary(max_size=300).map(websafe_encode) | st.text(max_size=40)
client_data = st.fixed_dictionaries(
    {"type": st.sampled_from(["webauthn.get", "webauthn.create", "x"]), "challenge": encoded},
    optional={"origin": st.text(max_size=30), "crossOrigin": json_values},
).map(lambda data: websafe_encode(json.dumps(data).encode()))
browser_like = st.fixed_dictionaries(
    {
        "id": encoded,
        "type": st.sampled_from(["public-key", "", "password"]),
        "response": st.fixed_dictionaries(
            {"clientDataJSON": client_data | encoded},
            optional={
                "attestationObject": encoded,
                "authenticatorData": encoded,
                "signature": encoded,
                "userHandle": encoded | st.none(),
            },
        ),
    },
    optional={
        "rawId": encoded,
        "clientExtensionResults": json_values,
        "authenticatorAttachment": json_values,
    },
).map(json.dumps)
CREDENTIALS = st.text(max_size=60) | json_values.map(json.dumps) | browser_like

FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def test_hostile_responses_never_sign_anyone_in(client):
    client.defaults["HTTP_HOST"] = "localhost"
    coordinator = UserFactory(role="coordinator", second_factor=False)
    give_security_key(coordinator)
    client.post(reverse("account_login"), {"login": coordinator.email, "password": PASSWORD})

    @FUZZ
    @given(CREDENTIALS)
    def post(credential: str) -> None:
        cache.clear()  # failed attempts are rate-limited; every example must reach the checks
        response = client.post(reverse("mfa_authenticate"), {"credential": credential})
        assert response.status_code == 200, credential
        assert REFUSAL in response.text, credential

    post()
    assert client.get("/de/cockpit/")["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("credential", ["0", "false", "1", '"text"', "[1]"])
def test_a_credential_that_is_not_an_object_adds_no_key_and_opens_nothing(client, credential):
    """allauth verified a new key only if the credential was truthy: 0 and false were stored
    unverified, counted as a second factor, and broke the key pages."""
    coordinator = UserFactory(role="coordinator", second_factor=False)
    client.force_login(coordinator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_add_webauthn"))

    response = client.post(
        reverse("mfa_add_webauthn"), {"name": "Schlüssel", "credential": credential}
    )

    assert response.status_code == 200
    assert "Falscher Code." in response.text
    assert not Authenticator.objects.filter(user=coordinator).exists()
    assert client.get("/de/cockpit/")["Location"] == reverse("mfa_index")


def test_hostile_responses_never_add_a_key(client):
    client.defaults["HTTP_HOST"] = "localhost"
    coordinator = UserFactory(role="coordinator")
    client.force_login(coordinator)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.get(reverse("mfa_add_webauthn"))

    @FUZZ
    @given(CREDENTIALS)
    def post(credential: str) -> None:
        response = client.post(
            reverse("mfa_add_webauthn"), {"name": "Schlüssel", "credential": credential}
        )
        assert response.status_code == 200, credential
        assert REFUSAL in response.text, credential

    post()
    assert not Authenticator.objects.filter(type=Authenticator.Type.WEBAUTHN).exists()
