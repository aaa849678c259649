"""allauth's security-key forms with two guards added, both found by
tests/accounts/test_security_key_input.py:

- A credential must be a JSON object. allauth verifies a new key only `if credential:`, so the
  JSON values 0 and false skipped verification and were stored as a key. That key counted as a
  second factor, and every later page that read the user's keys answered 500.
- A credential that is not a well-formed WebAuthn response is refused like a wrong key. allauth
  catches only some of what fido2 raises on malformed input; a credential without "rawId", for
  example, raised KeyError and answered 500.

And where a key is added or used, a refusal is shown: the credential is a hidden field, whose
errors no template renders, so a wrong key left the page as it was, without a word.
"""

import logging
from typing import Any

from allauth.mfa.adapter import get_adapter
from allauth.mfa.webauthn.forms import (
    AddWebAuthnForm,
    AuthenticateWebAuthnForm,
    EditWebAuthnForm,
    ReauthenticateWebAuthnForm,
)
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)
# What fido2 raises while it takes apart a response that is not what a browser would send.
MALFORMED = (KeyError, TypeError, ValueError, AttributeError, IndexError)
# allauth sets no limit; a name is shown in lists and the export.
NAME_LENGTH = 100


def _refused(what: str) -> ValidationError:
    logger.info("Malformed security-key response refused: %s", what)
    return get_adapter().validation_error("incorrect_code")


class _RefusalShown(forms.Form):
    def full_clean(self) -> None:
        super().full_clean()
        refused = self._errors.pop("credential", None) if self._errors else None
        if refused:
            self._errors.setdefault(
                NON_FIELD_ERRORS, self.error_class(error_class="nonfield", renderer=self.renderer)
            ).extend(refused)


class AddSecurityKeyForm(_RefusalShown, AddWebAuthnForm):
    name = forms.CharField(label=_("Name"), required=False, max_length=NAME_LENGTH)

    def clean_credential(self) -> dict[str, Any]:
        credential = self.cleaned_data["credential"]
        if not isinstance(credential, dict) or not credential:
            raise _refused(f"a JSON {type(credential).__name__}, not an object")
        return credential

    def clean(self) -> dict[str, Any]:
        try:
            return super().clean()
        except MALFORMED as error:
            raise _refused(type(error).__name__) from error


class EditSecurityKeyForm(EditWebAuthnForm):
    name = forms.CharField(label=_("Name"), max_length=NAME_LENGTH)


class _CheckedCredential:
    def clean_credential(self) -> Any:
        try:
            return super().clean_credential()  # type: ignore[misc]
        except MALFORMED as error:
            raise _refused(type(error).__name__) from error


class AuthenticateSecurityKeyForm(_RefusalShown, _CheckedCredential, AuthenticateWebAuthnForm):
    pass


# allauth's view turns this form's credential errors into messages itself.
class ReauthenticateSecurityKeyForm(_CheckedCredential, ReauthenticateWebAuthnForm):
    pass
