from django.contrib import admin

from events.models import Device, Place, Visit


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "company", "external_id", "brand", "category", "radius_m"]
    list_filter = ["company"]
    search_fields = ["name", "external_id", "brand"]

    def get_queryset(self, request):
        return Place.all_companies.select_related("company")


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ["device_id", "company", "platform", "last_seen_at"]
    list_filter = ["company", "platform"]
    search_fields = ["device_id", "advertising_id", "custom_id"]

    def get_queryset(self, request):
        return Device.all_companies.select_related("company")


@admin.register(Visit)
class VisitAdmin(admin.ModelAdmin):
    list_display = ["device", "place", "entered_at", "duration_s", "is_closed"]
    list_filter = ["company", "is_closed", "is_capped"]
    raw_id_fields = ["device", "place"]
    readonly_fields = [field.name for field in Visit._meta.fields]

    def get_queryset(self, request):
        return Visit.all_companies.select_related("device", "place")
