from django import forms
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from ankommen.accounts.models import Channel, User
from ankommen.accounts.services import REFERRAL_SESSION_KEY, inviter_for_code


class SignupDetailsForm(forms.Form):
    """What allauth's sign-up form asks beyond e-mail and password."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )

    heard_via = forms.ChoiceField(
        label=_("How did you hear about us? (optional)"),
        choices=[("", "---------"), *Channel.choices],
        required=False,
    )

    field_order = ["full_name", "email", "password1", "password2", "heard_via"]

    def clean_full_name(self) -> str:
        full_name = " ".join(self.cleaned_data["full_name"].split())
        if not full_name:
            raise forms.ValidationError(_("Please enter your name."))
        return full_name

    def signup(self, request: HttpRequest, user: User) -> None:
        """People sign up as volunteers, in the language they are reading the page in.

        Whoever's invite link brought them here is recorded as the one who invited them.
        """
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_language = translation.get_language() or user.preferred_language
        user.referred_by = inviter_for_code(request.session.pop(REFERRAL_SESSION_KEY, None))
        # An invite link says more than the answer; without either the channel stays unknown.
        user.heard_via = Channel.INVITED if user.referred_by else self.cleaned_data["heard_via"]
        fields = ["full_name", "preferred_language", "referred_by", "heard_via", "updated_at"]
        user.save(update_fields=fields)


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["full_name", "preferred_name", "preferred_language"]
        widgets = {"full_name": forms.TextInput(attrs={"autocomplete": "name"})}

    def clean_full_name(self) -> str:
        full_name = " ".join(self.cleaned_data["full_name"].split())
        if not full_name:
            raise forms.ValidationError(_("Please enter your name."))
        return full_name


class SignInLinkRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
