from rest_framework import authentication, exceptions

from .tokens import user_for_token


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """`Authorization: Bearer <token>`; the token is looked up by its digest."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "The Authorization header must be 'Bearer' followed by one token."
            )
        try:
            token = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed("The token is not valid text.") from exc
        user = user_for_token(token)
        if user is None:
            raise exceptions.AuthenticationFailed("The token is unknown, revoked or expired.")
        return user, None

    def authenticate_header(self, request):
        return self.keyword
