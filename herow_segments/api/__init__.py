"""Building blocks shared by every JSON API of the project.

An API view subclasses `herow_segments.api.views.ApiView` and sets
`permission_classes = [scopes_required(read=..., write=...)]`; the base
class then does, in this order and in one place:

1. authentication with an API key (`authentication.ApiKeyAuthentication`):
   `Authorization: Bearer <key>` or `X-API-Key: <key>`; 401 otherwise;
2. the key's allowed IP ranges and scopes (`permissions`): 403;
3. the per-key rate limit (`throttling.ApiKeyRateThrottle`): 429;
4. activation of the key's company, so that `Model.objects` of every
   company-owned model is scoped and another company's row is a 404.

Errors of every kind share one shape, built by `errors.handle_exception`:
`{"error": {"code": ..., "message": ..., "details": ...}}`; a view raises
`errors.ApiError` (or a subclass) for its own answers. Lists use the
opaque cursors of `pagination`; unsafe methods can be made replayable with
the `idempotency.idempotent` decorator.
"""
