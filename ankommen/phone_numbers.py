"""Phone numbers as people type them, checked and stored in one international form."""

import phonenumbers
from django import forms
from django.utils.translation import gettext_lazy as _

DEFAULT_REGION = "DE"


def clean_phone_number(raw: str) -> str:
    """'' stays ''; anything else must be a real number and comes back as E.164 (+49…)."""
    raw = raw.strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except phonenumbers.NumberParseException as error:
        raise forms.ValidationError(_("This does not look like a phone number.")) from error
    if not phonenumbers.is_valid_number(number):
        raise forms.ValidationError(_("This does not look like a phone number."))
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
