"""The web application and HTTP API: FastAPI pages and endpoints over the same services the command line uses.

`app.create_app(WebConfig(...))` builds the application; `regledger serve` runs it under uvicorn. The pages
(`pages`) are server-rendered HTML, each with a JSON twin; the API (`api`) answers under /api/v1/ with exactly the
command line's JSON.
"""

__all__: list[str] = []
