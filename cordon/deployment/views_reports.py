"""Reports on the published roster (temporary: being written; see the deployment issue)."""

from django.http import Http404


def _pending(request, *args, **kwargs):
    raise Http404


leaders = ics204 = person_times = person_times_xlsx = roster_xlsx = _pending
deployment_map = deployment_map_data = _pending
