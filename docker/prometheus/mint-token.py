"""Keeps a fresh admin bearer token (HS256 JWT, one hour) for Prometheus's scrapes in /tokens/admin.jwt.

The services refuse tokens without exp or living longer than hub.security.max-token-lifetime, so a token written once
would stop working: this mints a new one every 10 minutes, signed with HUB_JWT_SECRET, with HUB_JWT_ISSUER and
HUB_JWT_AUDIENCE when they are set. Only the standard library: no package to install.
"""

import base64
import hashlib
import hmac
import json
import os
import sys
import time

PATH = "/tokens/admin.jwt"
LIFETIME = 3600
EVERY = 600


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def mint(secret: str) -> str:
    now = int(time.time())
    claims = {"sub": "prometheus", "roles": ["admin"], "iat": now, "exp": now + LIFETIME}
    if os.environ.get("HUB_JWT_ISSUER"):
        claims["iss"] = os.environ["HUB_JWT_ISSUER"]
    if os.environ.get("HUB_JWT_AUDIENCE"):
        claims["aud"] = os.environ["HUB_JWT_AUDIENCE"]
    signing = b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode()) + "." + b64(json.dumps(claims).encode())
    signature = hmac.new(secret.encode(), signing.encode(), hashlib.sha256).digest()
    return signing + "." + b64(signature)


def main() -> None:
    secret = os.environ.get("HUB_JWT_SECRET", "")
    if len(secret.encode()) < 32:
        sys.exit("metrics-token: HUB_JWT_SECRET must be set (at least 32 bytes), as for the services")
    while True:
        tmp = PATH + ".tmp"
        with open(tmp, "w") as f:
            f.write(mint(secret))
        os.replace(tmp, PATH)  # Prometheus never reads half a token
        time.sleep(EVERY)


if __name__ == "__main__":
    main()
