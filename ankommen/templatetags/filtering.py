"""`{% filter_chips filter %}`: the active filters above a list's results, each removable."""

from typing import Any

from django import template
from django_filters import FilterSet

from ankommen.filtering import active_filters

register = template.Library()


@register.inclusion_tag("components/filter_chips.html", takes_context=True)
def filter_chips(context: template.Context, filterset: FilterSet) -> dict[str, Any]:
    request = context["request"]
    return {"active": active_filters(filterset, request.GET, request.path)}
