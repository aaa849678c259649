"""Start-up checks of the cockpit's settings."""

from typing import Any

from django.core import checks

from cockpit.reports import organisation_logo


@checks.register()
def organisation_logo_exists(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """A logo that is not there would leave every funders' report without it, silently."""
    logo = organisation_logo()
    if logo is None or logo.is_file():
        return []
    return [
        checks.Warning(
            f"ANKOMMEN_ORGANISATION_LOGO points at {logo}, which is not a file.",
            hint="Give the path of a PNG, JPEG or SVG file, or leave the variable empty.",
            id="cockpit.W001",
        )
    ]
