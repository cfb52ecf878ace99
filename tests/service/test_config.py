"""Service configuration: arguments, then global_config, then the argo CLI's environment; tokens; TLS."""

from __future__ import annotations

import ssl

import pytest

from hera.auth import TokenGenerator
from hera.shared import global_config
from hera.workflows.async_service import AsyncWorkflowsService
from hera.workflows.service import WorkflowsService


def test_no_host_anywhere_means_the_local_engine() -> None:
    svc = WorkflowsService()
    assert svc.host == "local" and svc.namespace == "default"
    assert WorkflowsService(host="LOCAL").host == "local"
    global_config.host = "local"
    assert WorkflowsService().host == "local"


def test_arguments_beat_global_config_beat_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGO_SERVER", "env.example:2746")
    monkeypatch.setenv("ARGO_NAMESPACE", "env-ns")
    assert WorkflowsService().host == "https://env.example:2746"
    assert WorkflowsService().namespace == "env-ns"
    global_config.host = "https://config.example"
    global_config.namespace = "config-ns"
    assert (WorkflowsService().host, WorkflowsService().namespace) == ("https://config.example", "config-ns")
    svc = WorkflowsService(host="http://arg.example:1/", namespace="arg-ns")
    assert (svc.host, svc.namespace) == ("http://arg.example:1", "arg-ns")


def test_argo_server_scheme_base_href_and_local(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGO_SERVER", "argo.example:2746")
    monkeypatch.setenv("ARGO_SECURE", "false")
    monkeypatch.setenv("ARGO_BASE_HREF", "/argo/")
    assert WorkflowsService().host == "http://argo.example:2746/argo"
    monkeypatch.setenv("ARGO_SERVER", "https://argo.example")
    assert WorkflowsService().host == "https://argo.example/argo"
    monkeypatch.setenv("ARGO_SERVER", "local")
    assert WorkflowsService().host == "local"
    with pytest.raises(ValueError, match="http:// or https://"):
        WorkflowsService(host="ftp://argo.example")


def test_remote_host_has_no_default_namespace() -> None:
    svc = WorkflowsService(host="https://argo.example")
    assert svc.namespace is None
    with pytest.raises(ValueError, match="needs a namespace"):
        svc.get_workflow("w")


@pytest.mark.parametrize(
    ("given", "header"),
    [("abc", "Bearer abc"), ("Bearer abc", "Bearer abc"), ("  abc  ", "Bearer abc"), ("Basic dXNlcg==", "Basic dXNlcg==")],
)
def test_bearer_prefix_added_once(given: str, header: str) -> None:
    assert WorkflowsService(host="https://a.example", token=given)._config.authorization == header


def test_token_sources_and_callables_resolved_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    class Counting(TokenGenerator):
        def __call__(self) -> str:
            calls.append(1)
            return "from-generator"

    global_config.token = Counting()
    svc = WorkflowsService(host="https://a.example")
    assert svc._config.authorization == "Bearer from-generator" and len(calls) == 1
    svc._headers(False)
    svc._headers(True)
    assert len(calls) == 1  # resolved at construction, not per request
    assert WorkflowsService(host="https://a.example", token=lambda: "from-lambda")._config.authorization == (
        "Bearer from-lambda"
    )
    global_config.token = None
    monkeypatch.setenv("ARGO_TOKEN", "Bearer from-env")
    assert WorkflowsService(host="https://a.example")._config.authorization == "Bearer from-env"


def test_tls_verification_on_by_default_and_off_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    assert WorkflowsService(host="https://a.example").verify_ssl is True
    monkeypatch.setenv("ARGO_INSECURE_SKIP_VERIFY", "true")
    assert WorkflowsService(host="https://a.example").verify_ssl is False
    assert WorkflowsService(host="https://a.example", verify_ssl=True).verify_ssl is True
    monkeypatch.delenv("ARGO_INSECURE_SKIP_VERIFY")
    global_config.verify_ssl = False
    assert WorkflowsService(host="https://a.example").verify_ssl is False
    global_config.verify_ssl = True
    ctx = WorkflowsService(host="https://a.example")._client_kwargs()["verify"]
    assert isinstance(ctx, ssl.SSLContext) and ctx.verify_mode == ssl.CERT_REQUIRED and ctx.check_hostname


def test_client_certificates_are_loaded() -> None:
    with pytest.raises(ValueError, match="client_certs"):
        WorkflowsService(host="https://a.example", client_certs=("only-one",))  # type: ignore[arg-type]
    svc = WorkflowsService(host="https://a.example", client_certs=("/nonexistent.crt", "/nonexistent.key"))
    with pytest.raises(FileNotFoundError):
        svc._client_kwargs()  # the certificate is read when the connection is set up


def test_timeouts_and_retries_are_validated() -> None:
    assert WorkflowsService(host="https://a.example").timeout == 30.0
    assert WorkflowsService(host="https://a.example", timeout=2).timeout == 2.0
    with pytest.raises(ValueError, match="timeout"):
        WorkflowsService(host="https://a.example", timeout=0)
    with pytest.raises(ValueError, match="retries"):
        WorkflowsService(host="https://a.example", retries=-1)


def test_the_token_never_shows_in_reprs() -> None:
    svc = WorkflowsService(host="https://a.example", token="very-secret-token")
    asvc = AsyncWorkflowsService(host="https://a.example", token="very-secret-token")
    for text in (repr(svc), str(svc), repr(asvc), repr(svc._config)):
        assert "very-secret-token" not in text and "***" in text


def test_a_session_is_an_httpx_client_used_as_is() -> None:
    import httpx

    with httpx.Client() as client:
        svc = WorkflowsService(host="https://a.example", session=client)
        assert svc._http() is client and svc.session is client
        svc.close()
        assert not client.is_closed  # the caller's client stays open
        with pytest.raises(ValueError, match=r"httpx\.AsyncClient"):
            AsyncWorkflowsService(host="https://a.example", session=client)
    with pytest.raises(ValueError, match=r"httpx\.Client"):
        WorkflowsService(host="https://a.example", session=object())


def test_a_requests_session_as_hera_programs_pass_it_is_carried_over(recwarn: pytest.WarningsRecorder) -> None:
    requests = pytest.importorskip("requests")
    from tests.server._support import TinyServer

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], object]:
        return 200, {}, {"metadata": {"name": "w"}, "spec": {}}

    session = requests.Session()
    session.headers["X-Team"] = "data"
    session.headers["Authorization"] = "Bearer from-session-9f3e"
    session.cookies.set("argo", "c1")
    with TinyServer(answer) as tiny:
        svc = WorkflowsService(host=tiny.url, session=session, namespace="argo")
        assert svc.get_workflow("w").metadata.name == "w"
        headers = tiny.requests[-1][2]
        assert headers["x-team"] == "data" and headers["cookie"] == "argo=c1"
        assert headers["authorization"] == "Bearer from-session-9f3e"
        assert "python-requests" not in headers.get("user-agent", "")
        assert "from-session-9f3e" not in repr(svc)  # an Authorization header is treated as the token
        with WorkflowsService(host=tiny.url, session=session, token="explicit", namespace="argo") as explicit:
            explicit.get_workflow("w")
        assert tiny.requests[-1][2]["authorization"] == "Bearer explicit"
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]  # all of it was carried over

    session.hooks["response"].append(lambda r, *a, **k: r)
    with pytest.warns(UserWarning, match="not its hooks"):
        WorkflowsService(host="https://a.example", session=session)


def test_attributes_can_be_set_after_construction_as_on_heras_service() -> None:
    from tests.server._support import TinyServer

    def answer(method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict[str, str], object]:
        return 200, {}, {"metadata": {"name": "w"}, "spec": {}}

    svc = WorkflowsService(host="https://unused.example", namespace="a")
    assert svc.token is None and svc.client_certs is None
    with TinyServer(answer) as tiny:
        svc.host = tiny.url
        svc.namespace = "b"
        svc.token = "set-later"
        svc.get_workflow("w")
        _, path, headers, _ = tiny.requests[-1]
        assert path == "/api/v1/workflows/b/w" and headers["authorization"] == "Bearer set-later"
        assert svc.token == "Bearer set-later" and "set-later" not in repr(svc)
    svc.verify_ssl = False
    assert svc.verify_ssl is False
    svc.client_certs = ["c.pem", "k.pem"]
    assert svc.client_certs == ("c.pem", "k.pem")
    with pytest.raises(ValueError, match="client_certs"):
        svc.client_certs = ("one", "two", "three")


def test_a_workflow_holding_a_service_can_be_deep_copied_and_the_service_pickled() -> None:
    import copy
    import pickle

    import httpx

    from hera.workflows import Container, Workflow

    svc = WorkflowsService(host="https://a.example", namespace="argo", token="copy-token")
    svc._http()  # connections open
    with Workflow(name="w", workflows_service=svc) as w:
        Container(name="c", image="alpine")
    twin = copy.deepcopy(w)
    assert twin.workflows_service is not svc and twin.to_dict() == w.to_dict()
    assert (twin.workflows_service.host, twin.workflows_service.token) == ("https://a.example", "Bearer copy-token")
    assert twin.workflows_service.session is not svc.session  # its own connections
    back = pickle.loads(pickle.dumps(svc))
    assert (back.namespace, back.token) == ("argo", "Bearer copy-token") and "copy-token" not in repr(back)
    with httpx.Client() as mine:
        shared = WorkflowsService(host="https://a.example", session=mine)
        assert copy.deepcopy(shared).session is mine  # a caller's client is shared, never copied or closed
