"""Page text for assertions, without the values that change with every response."""

from __future__ import annotations

import re

# A CSP nonce or CSRF token is random letters and digits: a short secret such as a country code
# can turn up inside one by chance, so a "never shown" check must not look there.
_PER_RESPONSE_TOKEN = re.compile(
    r'(nonce="|X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+'
)


def without_tokens(body: bytes | str) -> str:
    """The page with its nonces and CSRF tokens emptied."""
    text = body.decode() if isinstance(body, bytes) else body
    return _PER_RESPONSE_TOKEN.sub(r"\1", text)
