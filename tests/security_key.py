"""A security key in software: a P-256 key pair that answers the portal's WebAuthn challenges as
a browser with a USB key would, so tests can register and sign in with a real, verified
credential without a browser (the browser journey uses Chromium's virtual authenticator)."""

import hashlib
import json
import os
import re
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    Aaguid,
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

FLAGS = AuthenticatorData.FLAG
JS_DATA = re.compile(r'<script id="js_data" type="application/json">(.*?)</script>', re.S)


def page_options(html: str) -> dict[str, Any]:
    """The options allauth hands its script (json_script, so the CSP needs no inline code)."""
    found = JS_DATA.search(html)
    assert found, "no js_data on the page"
    return json.loads(found.group(1))


class SoftwareSecurityKey:
    def __init__(self, origin: str = "http://localhost") -> None:
        self.origin = origin
        self.rp_id_hash = hashlib.sha256(origin.split("://")[1].split(":")[0].encode()).digest()
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def register(self, creation_options: dict[str, Any]) -> str:
        """navigator.credentials.create(), as JSON for the form's hidden field."""
        client_data = CollectedClientData.create(
            type="webauthn.create",
            challenge=websafe_decode(creation_options["publicKey"]["challenge"]),
            origin=self.origin,
        )
        credential = AttestedCredentialData.create(
            Aaguid(bytes(16)),
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        auth_data = AuthenticatorData.create(
            self.rp_id_hash, FLAGS.UP | FLAGS.UV | FLAGS.AT, self.counter, bytes(credential)
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return self._response(
            clientDataJSON=websafe_encode(bytes(client_data)),
            attestationObject=websafe_encode(bytes(attestation)),
        )

    def sign_in(self, request_options: dict[str, Any]) -> str:
        """navigator.credentials.get(): signs the challenge with the registered key."""
        self.counter += 1
        client_data = CollectedClientData.create(
            type="webauthn.get",
            challenge=websafe_decode(request_options["publicKey"]["challenge"]),
            origin=self.origin,
        )
        auth_data = AuthenticatorData.create(self.rp_id_hash, FLAGS.UP | FLAGS.UV, self.counter)
        signature = self.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return self._response(
            clientDataJSON=websafe_encode(bytes(client_data)),
            authenticatorData=websafe_encode(bytes(auth_data)),
            signature=websafe_encode(signature),
        )

    def _response(self, **response: str) -> str:
        credential_id = websafe_encode(self.credential_id)
        return json.dumps(
            {
                "id": credential_id,
                "rawId": credential_id,
                "type": "public-key",
                "response": response,
                "clientExtensionResults": {},
            }
        )
