"""Dashboard pages for places and devices."""

from datetime import timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Avg, Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from events import services
from events.demo import is_simulated_device
from events.forms import DeviceSearchForm, PlaceFilterForm, PlaceForm, PlaceImportForm
from events.models import Device, Place, Tag, Visit
from events.place_csv import SAMPLE_ROWS, PlaceFileRejected
from events.validation import ItemRejected, normalise_device_id
from herow_segments.accounts.decorators import company_member_required
from herow_segments.accounts.scoping import get_scoped_or_404
from herow_segments.accounts.services import DEMO_COMPANY
from segments.exports import csv_attachment

PAGE_SIZE = 25
STATS_DAYS = 30


@company_member_required
def list_places(request):
    filters = PlaceFilterForm(request.GET or None, **filter_choices())
    places = filter_places(Place.objects.prefetch_related("tags"), filters)
    page = Paginator(places, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "events/place_list.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "is_demo": is_demo(request),
        },
    )


def is_demo(request) -> bool:
    """Tell whether the page shows the demo company's simulated visits."""
    return request.company.slug == DEMO_COMPANY["slug"]


def filter_choices() -> dict[str, list[str]]:
    def distinct(field_name: str) -> list[str]:
        values = Place.objects.exclude(**{field_name: ""}).values_list(field_name)
        return sorted({value for (value,) in values.distinct()})

    return {
        "brands": distinct("brand"),
        "categories": distinct("category"),
        "tags": list(Tag.objects.values_list("name", flat=True)),
    }


def filter_places(places, filters: PlaceFilterForm):
    if not filters.is_bound:
        return places
    if not filters.is_valid():
        # A brand, category or tag the company does not have matches nothing;
        # the form says which value it did not know.
        return places.none()
    data = filters.cleaned_data
    if data["q"]:
        places = places.filter(
            Q(name__icontains=data["q"])
            | Q(address__icontains=data["q"])
            | Q(external_id=data["q"])
        )
    for name in ("brand", "category"):
        if data[name]:
            places = places.filter(**{name: data[name]})
    if data["tag"]:
        places = places.filter(tags__name=data["tag"])
    return places


@company_member_required
def show_place(request, place_id: int):
    place = get_scoped_or_404(Place, pk=place_id)
    since = timezone.now() - timedelta(days=STATS_DAYS)
    stats = Visit.objects.filter(place=place, entered_at__gte=since).aggregate(
        visits=Count("pk"),
        devices=Count("device", distinct=True),
        average_s=Avg("duration_s", filter=Q(is_closed=True)),
    )
    visits = (
        Visit.objects.filter(place=place)
        .select_related("device")
        .order_by("-entered_at", "-pk")[:20]
    )
    context = {
        "place": place,
        "stats": stats,
        "visits": visits,
        "days": STATS_DAYS,
        "is_demo": is_demo(request),
    }
    return render(request, "events/place_detail.html", context)


@company_member_required
@require_http_methods(["GET", "POST"])
def create_place(request):
    return edit_place_form(request, Place(company=request.company))


@company_member_required
@require_http_methods(["GET", "POST"])
def edit_place(request, place_id: int):
    return edit_place_form(request, get_scoped_or_404(Place, pk=place_id))


def edit_place_form(request, place: Place):
    is_new = place.pk is None
    form = PlaceForm(request.POST or None, instance=place, company=request.company)
    if request.method == "POST" and form.is_valid():
        services.save_place(form.instance, form.cleaned_data["tags"])
        messages.success(request, f"Place “{place.name}” saved.")
        return redirect(place)
    context = {"form": form, "place": place, "is_new": is_new, **filter_choices()}
    return render(request, "events/place_form.html", context)


@company_member_required
@require_http_methods(["GET", "POST"])
def delete_place(request, place_id: int):
    place = get_scoped_or_404(Place, pk=place_id)
    if request.method == "POST":
        name = place.name
        services.delete_place(place)
        messages.success(request, f"Place “{name}” deleted.")
        return redirect("events:place-list")
    visits = Visit.objects.filter(place=place).count()
    context = {"place": place, "visits": visits}
    return render(request, "events/place_confirm_delete.html", context)


@company_member_required
def download_place_sample(request):
    return csv_attachment(SAMPLE_ROWS, "places-sample.csv")


@company_member_required
@require_http_methods(["GET", "POST"])
def import_places(request):
    form = PlaceImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_places(
                request.company, form.cleaned_data["file"].read()
            )
        except PlaceFileRejected as error:
            form.add_error("file", str(error))
        if result is not None and result.is_imported:
            messages.success(
                request,
                f"{result.created:,} places created, {result.updated:,} updated.",
            )
            return redirect("events:place-list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "result": result}
    return render(request, "events/place_import.html", context, status=status)


@company_member_required
def list_devices(request):
    search = DeviceSearchForm(request.GET or None)
    devices = search_devices(search)
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "search": search,
        "page": page,
        "query": query.urlencode(),
        "is_demo": is_demo(request),
    }
    return render(request, "events/device_list.html", context)


def search_devices(search: DeviceSearchForm):
    devices = Device.objects.order_by("-pk")
    if not search.is_valid() or not search.cleaned_data["q"]:
        return devices
    text = search.cleaned_data["q"].strip()
    try:
        normalised = normalise_device_id(text)
    except ItemRejected:
        normalised = text
    return devices.filter(
        Q(device_id__in={text, normalised})
        | Q(advertising_id=normalised.lower())
        | Q(custom_id=text)
    )


@company_member_required
def show_device(request, device_id: int):
    device = get_scoped_or_404(Device, pk=device_id)
    context = {
        "device": device,
        "segments": services.segments_of_device(device),
        "visits": services.recent_visits(device),
        # Devices that apps report to the demo company are real ones.
        "is_demo": is_demo(request) and is_simulated_device(device.device_id),
    }
    return render(request, "events/device_detail.html", context)
