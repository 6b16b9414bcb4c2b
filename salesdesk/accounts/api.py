"""Accounts API: bearer-token auth, `GET /me`, the caller's tokens."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from salesdesk.accounts import services
from salesdesk.accounts.models import ApiToken

router = Router(tags=["accounts"])


class BearerTokenAuth(HttpBearer):
    """`Authorization: Bearer sd_…`; the token's user becomes `request.auth`."""

    def authenticate(self, request: HttpRequest, token: str):
        user = services.token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class MeOut(Schema):
    username: str
    name: str
    roles: list[str]
    department: str | None
    department_code: str | None
    language: str | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class TokenCreateIn(Schema):
    name: str


class TokenCreatedOut(TokenOut):
    token: str


@router.get("/me", response=MeOut, summary="The signed-in user")
def me_api(request):
    return services.describe(request.user)


@router.get("/me/tokens", response=list[TokenOut], summary="My API tokens")
def token_list_api(request):
    return list(ApiToken.objects.filter(user=request.user))


@router.post("/me/tokens", response={201: TokenCreatedOut}, summary="Create an API token")
def token_create_api(request, payload: TokenCreateIn):
    token, raw = services.token_create(user=request.user, name=payload.name, actor=request.user)
    return Status(201, {**TokenOut.from_orm(token).dict(), "token": raw})


@router.post("/me/tokens/{token_id}/revoke", response=TokenOut, summary="Revoke an API token")
def token_revoke_api(request, token_id: int):
    return services.token_revoke(token_id=token_id, actor=request.user)
