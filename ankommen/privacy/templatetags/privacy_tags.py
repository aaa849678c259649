from collections.abc import Mapping
from typing import Any

from django import template

register = template.Library()


@register.filter
def is_mapping(value: Any) -> bool:
    return isinstance(value, Mapping)


@register.filter
def is_sequence(value: Any) -> bool:
    return isinstance(value, list | tuple)
