from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ankommen.operations.health import Check, check_broker, check_database, check_workers


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database answers: pages can still be served without broker or workers."""
    database = check_database()
    checks = {
        "database": database,
        "broker": check_broker(),
        # The heartbeat lives in the database cache: without the database it cannot be read.
        "workers": check_workers() if database.status == "ok" else Check("unknown"),
    }
    body = {
        "status": "ok" if all(c.status == "ok" for c in checks.values()) else "degraded",
        **{name: check.as_dict() for name, check in checks.items()},
    }
    if database.status != "ok":
        body["status"] = "down"
    return JsonResponse(body, status=200 if database.status == "ok" else 503)
