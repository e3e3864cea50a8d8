"""The one mechanism that keeps every query inside the current company.

A request for a company page or an API call activates its company; from then
on, the default manager of every company-owned model returns only that
company's rows, so a view cannot forget the filter. Background jobs and
commands run with no active company and address rows by id.
"""

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django.http import Http404

_current_company = contextvars.ContextVar("current_company", default=None)


def get_current_company():
    """Return the company active in this context, or None."""
    return _current_company.get()


@contextmanager
def company_scope(company) -> Iterator[None]:
    """Activate company for the duration of the block."""
    token = _current_company.set(company)
    try:
        yield
    finally:
        _current_company.reset(token)


def activate_company(company) -> contextvars.Token:
    """Activate company until the returned token is reset."""
    return _current_company.set(company)


def deactivate_company(token: contextvars.Token) -> None:
    """Undo an activate_company call."""
    _current_company.reset(token)


class CompanyScopedQuerySet(models.QuerySet):
    def for_company(self, company) -> "CompanyScopedQuerySet":
        return self.filter(company=company)


class CompanyScopedManager(models.Manager.from_queryset(CompanyScopedQuerySet)):
    """Return only the active company's rows when a company is active."""

    def get_queryset(self) -> CompanyScopedQuerySet:
        queryset = super().get_queryset()
        company = get_current_company()
        if company is not None:
            # By id: a model instance as the value costs a check per query.
            queryset = queryset.filter(company_id=company.pk)
        return queryset


class CompanyOwned(models.Model):
    """A row of business data that belongs to exactly one company."""

    company = models.ForeignKey(
        "accounts.Company", on_delete=models.CASCADE, related_name="+"
    )

    objects = CompanyScopedManager()
    all_companies = models.Manager()

    class Meta:
        abstract = True
        base_manager_name = "all_companies"

    def save(self, *args, **kwargs) -> None:
        company = get_current_company()
        if self.company_id is None and company is not None:
            self.company = company
        if company is not None and self.company_id != company.pk:
            raise PermissionError("A row of another company cannot be saved here.")
        super().save(*args, **kwargs)


def get_scoped_or_404(model, **lookup):
    """Fetch one row of the active company, or answer 404."""
    if get_current_company() is None:
        raise Http404("No company is active.")
    try:
        return model.objects.get(**lookup)
    except (model.DoesNotExist, ValueError):
        raise Http404(f"No {model._meta.verbose_name} matches.") from None
