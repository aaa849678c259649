"""allauth's sign-in form, apart from forms.py: allauth's own forms import that module."""

from allauth.account.forms import LoginForm as AllauthLoginForm
from django.forms.forms import NON_FIELD_ERRORS

from ankommen.accounts.adapters import THROTTLED


class LoginForm(AllauthLoginForm):
    @property
    def was_throttled(self) -> bool:
        """The page then offers a link by e-mail, whether or not the address has an account."""
        return self.has_error(NON_FIELD_ERRORS, code=THROTTLED)
