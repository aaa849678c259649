"""allauth's own texts that the portal shows and whose German says "du".

The portal addresses people as "Sie" everywhere, and allauth's German catalogue uses "du". Our
catalogues (LOCALE_PATHS) are read before the packages' ones, so a text listed here and
translated in locale/de/LC_MESSAGES/django.po replaces allauth's German. The other languages
carry allauth's own translation, or ours where allauth has none. Listed, never called, so that
`makemessages` keeps them; tests/accounts/test_form_of_address.py renders the sign-in pages in
German and fails on a "du", and on a text here that allauth no longer uses.

Left out: texts of features the portal does not switch on (user names, phone numbers, a second
e-mail field, sign-in by code, e-mail changes by confirmation, `verified_email_required`) and
the e-mails the portal writes itself (templates/account/email/).
"""

from django.utils.translation import gettext_noop

TEXTS = (
    # account/adapter.py: form errors and messages
    gettext_noop("You cannot remove your primary email address."),
    gettext_noop("Please type your current password."),
    gettext_noop("You cannot add more than %d email addresses."),
    gettext_noop("Too many failed login attempts. Try again later."),
    gettext_noop("Your primary email address must be verified."),
    gettext_noop("Be patient, you are sending too many requests."),
    # account/forms.py
    gettext_noop("You must type the same password each time."),
    # account/email.html
    gettext_noop("Do you really want to remove the selected email address?"),
    gettext_noop(
        "You currently do not have any email address set up. You should really add an email "
        "address so you can receive notifications, reset your password, etc."
    ),
    # account/email_confirm.html
    gettext_noop(
        'Please confirm that <a href="mailto:%(email)s">%(email)s</a> is an email address for '
        "user %(user_display)s."
    ),
    gettext_noop(
        "This email confirmation link expired or is invalid. Please "
        '<a href="%(email_url)s">issue a new email confirmation request</a>.'
    ),
    # account/logout.html and the messages after signing in and out
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("You have signed out."),
    gettext_noop("You are already logged in as %(user_display)s."),
    gettext_noop("You have confirmed %(email)s."),
    gettext_noop("You cannot remove your primary email address (%(email)s)."),
    # account/password_reset*.html
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send you an email "
        "allowing you to reset it."
    ),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
    gettext_noop(
        "We have sent you an email. If you have not received it please check your spam folder. "
        "Otherwise contact us if you do not receive it in a few minutes."
    ),
    gettext_noop(
        "The password reset link was invalid, possibly because it has already been used.  "
        'Please request a <a href="%(passwd_reset_url)s">new password reset</a>.'
    ),
    gettext_noop("Your password is now changed."),
    # account/signup.html
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    # account/verification_sent.html
    gettext_noop("Verify Your Email Address"),
    gettext_noop(
        "We have sent an email to you for verification. Follow the link provided to finalize "
        "the signup process. If you do not see the verification email in your main inbox, "
        "check your spam folder. Please contact us if you do not receive the verification "
        "email within a few minutes."
    ),
    # mfa/recovery_codes/generate.html, mfa/totp/deactivate_form.html
    gettext_noop("You are about to generate a new set of recovery codes for your account."),
    gettext_noop(
        "You are about to deactivate authenticator app based authentication. Are you sure?"
    ),
    # account/email/base_message.txt, under allauth's notifications about a second factor
    gettext_noop("Thank you for using %(site_name)s!\n%(site_domain)s"),
)
