"""schemathesis over the OpenAPI document: generated requests to every operation,
authenticated as a portal that owns an application. No answer may be a 5xx, and
every error is JSON in the one error shape.

The app is built when the module is collected (schemathesis parametrizes from the
schema then), on SQLite in a temporary directory of its own.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.db.migrate import upgrade
from api.keys import create_portal
from api.services import Services
from api.settings import Settings
from tests.service.conftest import declared_bytes, text_layer_files

_TMP = Path(tempfile.mkdtemp(prefix="docintake-fuzz-"))
atexit.register(shutil.rmtree, _TMP, True)
_CFG = Settings(_env_file=None, data_dir=_TMP / "var", rate_limit_per_minute=0)
upgrade(_CFG.sqlalchemy_url)
_SERVICES = Services.from_settings(_CFG)
APP = create_app(_CFG, services=_SERVICES, background=False)
with _SERVICES.db.session() as _s:
    HEADERS = {"Authorization": f"Bearer {create_portal(_s, 'fuzz')[1].key}"}
with TestClient(APP) as _client:  # one real application, so ids in paths sometimes exist
    _created = _client.post("/v1/applications", content=declared_bytes(), headers=HEADERS).json()
    _client.post(f"/v1/applications/{_created['id']}/documents", files=text_layer_files()[:1], headers=HEADERS)

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_operation_answers_with_a_server_error(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call(headers=HEADERS)
    where = f"{case.method} {case.formatted_path}"
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    if response.status_code >= 400:
        body = response.json()
        assert set(body) == {"error"} and {"code", "message"} <= set(body["error"]), (where, body)
