"""Dashboard pages for segments and their imports."""

import csv

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from herow_segments.accounts.decorators import company_member_required
from herow_segments.accounts.scoping import get_scoped_or_404
from segments import services
from segments.exports import Echo, csv_attachment, safe_row
from segments.forms import ImportForm, NewSegmentForm, SegmentFilterForm, SegmentForm
from segments.models import ImportMode, Member, Segment, SegmentImport

SAMPLE_ROWS = [
    ("id_type", "id"),
    ("device_id", "6d92078a-8246-4ba4-ae5b-76104861e7dc"),
    ("advertising_id", "2f1e6b3c-9a4d-4e8f-b7c1-0d5a3e9f8b21"),
    ("custom_id", "CRM-000123"),
]


@company_member_required
def list_segments(request):
    filters = SegmentFilterForm(request.GET or None, categories=company_categories())
    segments = filter_segments(Segment.objects.all(), filters)
    page = Paginator(segments, 25).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "segments/segment_list.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


SEGMENT_ORDERS = {
    "name": Lower("name").asc(),
    "-name": Lower("name").desc(),
}


def filter_segments(segments, filters: SegmentFilterForm):
    # An invalid filter is left out; the valid ones still apply.
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {})
    if data.get("q"):
        segments = segments.filter(
            Q(name__icontains=data["q"]) | Q(description__icontains=data["q"])
        )
    for field in ("kind", "category", "objective"):
        if data.get(field):
            segments = segments.filter(**{field: data[field]})
    sort = data.get("sort") or "-updated_at"
    return segments.order_by(SEGMENT_ORDERS.get(sort, sort), "pk")


@company_member_required
@require_http_methods(["GET", "POST"])
def create_segment(request):
    if body_too_large(request):
        form = NewSegmentForm(company=request.company)
        return refuse_large_body(request, form, "segments/segment_form.html")
    form = NewSegmentForm(
        request.POST or None, request.FILES or None, company=request.company
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {key: data[key] for key in SegmentForm.Meta.fields}
        if not data["file"]:
            segment = services.create_segment(
                company=request.company, user=request.user, **fields
            )
            messages.success(request, f"Segment “{segment.name}” created.")
            return redirect(segment)
        return start_import_or_show_error(
            request, form, mode=ImportMode.NEW, new_segment=fields
        )
    return render(
        request,
        "segments/segment_form.html",
        {"form": form, "categories": company_categories(), "is_new": True},
    )


@company_member_required
def show_segment(request, segment_id: int):
    segment = get_scoped_or_404(Segment, pk=segment_id)
    members = Member.objects.filter(segment=segment, is_active=True).order_by(
        "id_type", "value"
    )[:20]
    imports = segment.imports.select_related("created_by")[:20]
    return render(
        request,
        "segments/segment_detail.html",
        {"segment": segment, "members": members, "imports": imports},
    )


@company_member_required
@require_http_methods(["GET", "POST"])
def edit_segment(request, segment_id: int):
    segment = get_scoped_or_404(Segment, pk=segment_id)
    form = SegmentForm(request.POST or None, instance=segment, company=request.company)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Segment saved.")
        return redirect(segment)
    return render(
        request,
        "segments/segment_form.html",
        {"form": form, "segment": segment, "categories": company_categories()},
    )


@company_member_required
@require_http_methods(["GET", "POST"])
def delete_segment(request, segment_id: int):
    segment = get_scoped_or_404(Segment, pk=segment_id)
    if request.method == "POST":
        name = segment.name
        with transaction.atomic():
            services.delete_segment(segment)
        messages.success(request, f"Segment “{name}” deleted.")
        return redirect("segments:segment-list")
    return render(request, "segments/segment_confirm_delete.html", {"segment": segment})


@company_member_required
def export_members(request, segment_id: int):
    segment = get_scoped_or_404(Segment, pk=segment_id)
    writer = csv.writer(Echo())
    rows = (writer.writerow(safe_row(row)) for row in with_header(segment))
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    filename = f"{slugify(segment.name) or 'segment'}-members.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def with_header(segment: Segment):
    yield ("id_type", "id")
    yield from services.iter_member_rows(segment)


@company_member_required
def download_sample(request):
    return csv_attachment(SAMPLE_ROWS, "segment-sample.csv")


@company_member_required
@require_http_methods(["GET", "POST"])
def import_into_segment(request, segment_id: int):
    segment = get_scoped_or_404(Segment, pk=segment_id)
    if body_too_large(request):
        return refuse_large_body(
            request, ImportForm(), "segments/segment_import.html", segment=segment
        )
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return start_import_or_show_error(
            request, form, mode=form.cleaned_data["mode"], segment=segment
        )
    return render(
        request, "segments/segment_import.html", {"form": form, "segment": segment}
    )


def body_too_large(request) -> bool:
    """Tell from the headers alone that an upload is over the limit.

    Checked before the body is read, so a huge upload is not first written
    to a temporary file only to be refused.
    """
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    # The form fields and multipart boundaries add a little to the file.
    return length > settings.IMPORT_MAX_BYTES + 64 * 1024


def refuse_large_body(request, form, template: str, segment=None):
    limit = filesizeformat(settings.IMPORT_MAX_BYTES)
    context = {
        "form": form,
        "segment": segment,
        "is_new": segment is None,
        "upload_error": f"The file is over the limit of {limit}.",
    }
    return render(request, template, context, status=413)


def start_import_or_show_error(request, form, *, mode, segment=None, new_segment=None):
    try:
        with transaction.atomic():
            job = services.start_import(
                company=request.company,
                user=request.user,
                upload=form.cleaned_data["file"],
                mode=mode,
                segment=segment,
                default_id_type=form.cleaned_data["id_type"],
                new_segment=new_segment,
            )
    except services.ImportRefused as error:
        form.add_error("file", str(error))
        template = (
            "segments/segment_import.html"
            if segment
            else ("segments/segment_form.html")
        )
        context = {"form": form, "segment": segment, "is_new": segment is None}
        return render(request, template, context, status=400)
    return redirect(job)


@company_member_required
def show_import(request, import_id: int):
    job = get_scoped_or_404(SegmentImport, pk=import_id)
    return render(request, "segments/import_detail.html", {"job": job})


@company_member_required
def show_import_progress(request, import_id: int):
    job = get_scoped_or_404(SegmentImport, pk=import_id)
    return render(request, "segments/partials/import_progress.html", {"job": job})


@company_member_required
def download_rejected_rows(request, import_id: int):
    job = get_scoped_or_404(SegmentImport, pk=import_id)
    if not job.rejected_file:
        raise Http404("This import rejected no rows.")
    return FileResponse(
        job.rejected_file.open("rb"),
        as_attachment=True,
        filename=f"import-{job.pk}-rejected-rows.csv",
        content_type="text/csv",
    )


def company_categories() -> list[str]:
    return sorted(
        set(Segment.objects.exclude(category="").values_list("category", flat=True))
    )
