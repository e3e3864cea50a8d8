from django.contrib import admin

from segments.models import Segment, SegmentImport


@admin.register(Segment)
class SegmentAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "kind", "status", "member_count", "updated_at"]
    list_filter = ["kind", "status", "company"]
    search_fields = ["name", "description"]
    readonly_fields = ["member_count", "revision", "created_at", "updated_at"]

    def get_queryset(self, request):
        return Segment.all_companies.select_related("company")


@admin.register(SegmentImport)
class SegmentImportAdmin(admin.ModelAdmin):
    list_display = ["pk", "company", "segment", "mode", "status", "rows", "created_at"]
    list_filter = ["status", "mode", "company"]
    readonly_fields = [field.name for field in SegmentImport._meta.fields]

    def get_queryset(self, request):
        return SegmentImport.all_companies.select_related("company", "segment")
