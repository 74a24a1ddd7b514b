"""api: the intake service — HTTP API for upload portals, persistence, background work.

    create_app(settings) → FastAPI application (``docintake serve``)
    settings.Settings     ← DOCINTAKE_* environment variables / .env
    db/                   SQLAlchemy models, engine set-up, Alembic migrations
    store.FileStore       uploaded bytes, content-addressed on local disk
    operations            what the routes and the review pages do to applications
    jobs/                 one job interface: in-process by default, Celery with a broker URL
    webhooks              signed deliveries to portals, retried with backoff

Nothing below ``api/`` knows about HTTP, the database or these settings.
"""
