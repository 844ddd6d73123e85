"""Who is calling: bearer JWTs verified with PyJWT, as a platform behind an identity
provider does it.

* Locally the tokens are HS256, signed with ``AUTH_JWT_SECRET``; :func:`mint_token` makes
  them (``vod-testbed dev`` mints one for its local user).
* In staging they come from the identity provider and are checked against its JWKS
  (``AUTH_JWKS_URL``, RS256/ES256) with ``AUTH_JWT_AUDIENCE`` and ``AUTH_JWT_ISSUER``.

The caller is the token's ``sub``; its ``courses`` claim (course ids, as an LMS launch
token carries them) counts as active enrollment in each for the token's life. Its ``roles``
claim (a list of strings) grants: ``admin`` manages every course; ``instructor`` may create
courses (:func:`.courses.claim`); any other role, or none, is a student's
(docs/pipeline.md, "The pipeline"). ``VOD_AUTH=off`` relaxes all of it
for moto-style tests: claims are read without checking the signature, and a request with
no token is the administrator ``local``.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import jwt
from cachetools import TTLCache

from vod_testbed.common.caches import SharedCache
from vod_testbed.pipeline.trigger import upload_keys

# Algorithms an identity provider's JWKS may use; never "none", never HMAC with a public key.
ASYMMETRIC_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "PS256")
# Which of them each JWK key type ("kty") can verify.
KEY_TYPE_ALGORITHMS = {
    "RSA": ("RS256", "RS384", "RS512", "PS256"),
    "EC": ("ES256", "ES384"),
}
LOCAL_ALGORITHM = "HS256"
# A token longer than this is not one an identity provider issues; refuse before parsing.
MAX_TOKEN_CHARS = 8192
# The caller of a request without a token when authentication is off.
LOCAL_ADMIN = "local"
# The roles claim's values this pipeline acts on.
ADMIN_ROLE, INSTRUCTOR_ROLE = "admin", "instructor"
LEEWAY_S = 30
# A verified token is trusted again without verification for this long (it still expires
# at its ``exp``): a client's every request carries the same token, and verifying it is a
# tenth of an API read. As long as a JWKS client keeps an identity provider's keys.
VERIFIED_REUSE_S = 300
VERIFIED_CACHE_SIZE = 4096


class AuthError(Exception):
    """The request's credentials are missing or not acceptable; ``str()`` says why."""


@dataclass(frozen=True)
class Caller:
    """An authenticated user: ``user_id`` from ``sub``, courses and roles from claims."""

    user_id: str
    courses: frozenset[str] = field(default_factory=frozenset)
    admin: bool = False
    instructor: bool = False

    @property
    def creates_courses(self) -> bool:
        return self.admin or self.instructor


def mint_token(
    secret: str,
    user_id: str,
    courses: Iterable[str] = (),
    ttl_s: int = 3600,
    roles: Iterable[str] = (),
    audience: str | None = None,
    issuer: str | None = None,
) -> str:
    """An HS256 token for ``user_id`` that :class:`Authenticator` accepts with ``secret``.

    Args:
        courses: course ids the user counts as actively enrolled in.
        ttl_s: seconds until it expires.
        roles: ``admin`` manages every course; ``instructor`` creates courses.
        audience, issuer: the ``aud``/``iss`` claims, when the verifier requires them.
    """
    if not secret:
        raise ValueError("a token needs a secret (AUTH_JWT_SECRET)")
    now = int(time.time())
    claims: dict[str, Any] = {"sub": user_id, "iat": now, "exp": now + ttl_s}
    if courses:
        claims["courses"] = sorted(courses)
    if roles:
        claims["roles"] = sorted(roles)
    if audience:
        claims["aud"] = audience
    if issuer:
        claims["iss"] = issuer
    return jwt.encode(claims, secret, algorithm=LOCAL_ALGORITHM)


class Authenticator:
    """Verifies bearer tokens.

    Args:
        secret: ``AUTH_JWT_SECRET`` (HS256).
        jwks_url: ``AUTH_JWKS_URL``; when set, tokens are verified against its keys instead.
        audience, issuer: required ``aud``/``iss`` when set.
        enabled: ``False`` (``VOD_AUTH=off``) reads claims without verifying them.
        clock: epoch seconds, for the expiry of tokens verified before.
    """

    def __init__(
        self,
        secret: str = "",
        jwks_url: str | None = None,
        audience: str | None = None,
        issuer: str | None = None,
        enabled: bool = True,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.secret = secret
        self.audience = audience
        self.issuer = issuer
        self.enabled = enabled
        self._jwks = jwt.PyJWKClient(jwks_url, cache_keys=True) if jwks_url else None
        self._clock = clock
        # SHA-256 of a verified token -> (its caller, its exp). Keyed by digest so that the
        # cache's size does not depend on how long the tokens are.
        self._verified: SharedCache[bytes, tuple[Caller, float]] = SharedCache(
            TTLCache(VERIFIED_CACHE_SIZE, VERIFIED_REUSE_S, timer=clock)
        )

    @property
    def configured(self) -> bool:
        return not self.enabled or bool(self.secret) or self._jwks is not None

    def caller(self, authorization: str | None) -> Caller:
        """The caller an ``Authorization`` header value names.

        Raises:
            AuthError: no bearer token, or one that is malformed, forged, expired, for
                another audience or issuer, or without a usable ``sub``.
        """
        if not authorization:
            if not self.enabled:
                return Caller(LOCAL_ADMIN, admin=True)
            raise AuthError("an Authorization: Bearer <token> header is required")
        scheme, _, token = authorization.partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token:
            raise AuthError("the Authorization header must be 'Bearer <token>'")
        if len(token) > MAX_TOKEN_CHARS or not token.isascii():
            raise AuthError("the bearer token is not a JWT")
        if not self.enabled:
            return _caller_from(self._claims(token))
        digest = hashlib.sha256(token.encode()).digest()
        known = self._verified.get(digest)
        if known is not None:
            caller, expires_at = known
            if self._clock() >= expires_at + LEEWAY_S:
                raise AuthError("the bearer token has expired")
            return caller
        claims = self._claims(token)
        caller = _caller_from(claims)
        try:
            expires_at = float(claims["exp"])
        except OverflowError:
            raise AuthError("the bearer token's exp is not a time") from None
        self._verified.put(digest, (caller, expires_at))
        return caller

    def _claims(self, token: str) -> dict[str, Any]:
        if not self.enabled:
            try:
                return dict(jwt.decode(token, options={"verify_signature": False}))
            except jwt.PyJWTError as exc:
                raise AuthError(f"the bearer token is not a JWT: {exc}") from None
        if not self.configured:
            raise AuthError("the pipeline has no AUTH_JWT_SECRET or AUTH_JWKS_URL to check tokens")
        options = {"require": ["sub", "exp"]}
        try:
            if self._jwks is not None:
                signing_key = self._jwks.get_signing_key_from_jwt(token)
                key: Any = signing_key.key
                algorithms = _algorithms_of(signing_key)
            else:
                key, algorithms = self.secret, [LOCAL_ALGORITHM]
            return dict(
                jwt.decode(
                    token,
                    key,
                    algorithms=algorithms,
                    audience=self.audience,
                    issuer=self.issuer,
                    options=options,  # type: ignore[arg-type]
                    leeway=LEEWAY_S,
                )
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("the bearer token has expired") from None
        except jwt.PyJWKClientError as exc:
            raise AuthError(f"the bearer token's key is unknown: {exc}") from None
        except jwt.PyJWTError as exc:
            raise AuthError(f"the bearer token is not valid: {exc}") from None


def _algorithms_of(signing_key: jwt.PyJWK) -> list[str]:
    """The algorithms a token may name for this key: those of its key type. A token naming
    another family (ES256 against an RSA key) is then an invalid token, a 401, rather than
    a key of the wrong type handed to the verifier (a ``TypeError``, a 500)."""
    return list(KEY_TYPE_ALGORITHMS.get(signing_key.key_type or "", ()))


def _caller_from(claims: dict[str, Any]) -> Caller:
    user_id = claims.get("sub")
    if not isinstance(user_id, str) or not upload_keys.is_valid_user_id(user_id):
        raise AuthError("the token's sub must be 1-64 characters of A-Z a-z 0-9 _ -")
    courses = claims.get("courses", [])
    roles = claims.get("roles", [])
    if not isinstance(courses, list) or not all(isinstance(c, str) for c in courses):
        raise AuthError("the token's courses claim must be a list of course ids")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise AuthError("the token's roles claim must be a list of strings")
    return Caller(
        user_id, frozenset(courses), admin=ADMIN_ROLE in roles, instructor=INSTRUCTOR_ROLE in roles
    )
