"""`vi2en serve`: an HTTP service that CAT tools, apps and scripts can use unchanged.

`service` (the model, the cross-request `scheduler`, the ordinary pipeline) behind `app` (one
ASGI app: `libretranslate`, `opuscat` and `v1` endpoints, `metrics`, `access` rules). Needs the
`serve` extra (FastAPI, uvicorn, python-multipart, prometheus-client).
"""
