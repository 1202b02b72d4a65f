"""Deployment files: the Kubernetes manifests validate against the Kubernetes schemas and keep the
scaling rules (one beat, the worker autoscaled, migrations as a Job); compose's production profile
scales web and workers but never beat."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "k8s"
KUBERNETES_VERSION = "1.33.0"
NOT_RESOURCES = {"kustomization.yaml"}  # kustomize's own file, not sent to the API server


def _documents(path: Path) -> list[dict[str, Any]]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc]


MANIFESTS = sorted(p for p in K8S.glob("*.yaml") if p.name not in NOT_RESOURCES)
RESOURCES = {f"{d['kind']}/{d['metadata']['name']}": d for p in MANIFESTS for d in _documents(p)}


def _containers(resource: dict[str, Any]) -> list[dict[str, Any]]:
    return resource["spec"]["template"]["spec"]["containers"]


@pytest.mark.parametrize(
    "resource", [pytest.param(d, id=f"{p.name}:{d['kind']}") for p in MANIFESTS for d in _documents(p)]
)
def test_every_manifest_validates_against_the_kubernetes_schema(resource):
    # strict: an unknown (misspelt) field is an error, not silently ignored by the API server
    assert kubernetes_validate.validate(resource, KUBERNETES_VERSION, strict=True)


def test_the_expected_resources_exist():
    assert {
        "ConfigMap/contentgenai-config",
        "Secret/contentgenai-secrets",
        "Deployment/contentgenai-web",
        "Service/contentgenai-web",
        "Deployment/contentgenai-worker",
        "HorizontalPodAutoscaler/contentgenai-worker",
        "Deployment/contentgenai-beat",
        "Job/contentgenai-migrate",
    } <= set(RESOURCES)


def test_beat_is_one_replica_replaced_never_rolled():
    beat = RESOURCES["Deployment/contentgenai-beat"]

    assert beat["spec"]["replicas"] == 1
    assert beat["spec"]["strategy"] == {"type": "Recreate"}
    assert "beat" in _containers(beat)[0]["command"]
    assert "HorizontalPodAutoscaler/contentgenai-beat" not in RESOURCES


# Property 41: Usage Analytics and Auto-Scaling
def test_the_autoscaler_scales_the_worker_on_cpu_and_the_worker_requests_cpu():
    hpa = RESOURCES["HorizontalPodAutoscaler/contentgenai-worker"]
    worker = RESOURCES["Deployment/contentgenai-worker"]

    assert hpa["spec"]["scaleTargetRef"] == {
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "name": "contentgenai-worker",
    }
    assert 1 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    assert any(m["type"] == "Resource" and m["resource"]["name"] == "cpu" for m in hpa["spec"]["metrics"])
    # utilisation is measured against the request; without one the HPA cannot scale
    assert _containers(worker)[0]["resources"]["requests"]["cpu"]
    assert "worker" in " ".join(_containers(worker)[0]["command"])
    assert "replicas" not in worker["spec"] or worker["spec"]["replicas"] <= hpa["spec"]["minReplicas"]


def test_web_autoscales_on_cpu_and_on_requests_per_pod():
    hpa = RESOURCES["HorizontalPodAutoscaler/contentgenai-web"]
    web = RESOURCES["Deployment/contentgenai-web"]

    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "contentgenai-web"}
    assert 2 <= hpa["spec"]["minReplicas"] < hpa["spec"]["maxReplicas"]
    metrics = hpa["spec"]["metrics"]
    assert any(m["type"] == "Resource" and m["resource"]["name"] == "cpu" for m in metrics)
    assert any(
        m["type"] == "Pods" and m["pods"]["metric"]["name"] == "contentgenai_http_requests_per_second" for m in metrics
    )
    assert _containers(web)[0]["resources"]["requests"]["cpu"]


def test_migrations_run_as_a_job():
    job = RESOURCES["Job/contentgenai-migrate"]
    container = job["spec"]["template"]["spec"]["containers"][0]

    assert container["command"][-2:] == ["migrate", "--noinput"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] in ("Never", "OnFailure")


def test_web_probes_hit_healthz_and_readyz_and_the_service_selects_the_web_pods():
    web = RESOURCES["Deployment/contentgenai-web"]
    service = RESOURCES["Service/contentgenai-web"]
    container = _containers(web)[0]

    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    # the web HPA owns the replica count; it never goes under two pods
    assert "replicas" not in web["spec"]
    assert RESOURCES["HorizontalPodAutoscaler/contentgenai-web"]["spec"]["minReplicas"] >= 2
    pod_labels = web["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= pod_labels.items()
    # probes send Host: localhost, which the shared settings must allow
    config = RESOURCES["ConfigMap/contentgenai-config"]["data"]
    assert "localhost" in config["DJANGO_ALLOWED_HOSTS"].split(",")


@pytest.mark.parametrize("name", ["web", "worker", "beat"])
def test_every_process_reads_the_same_config_and_secrets(name):
    pod = RESOURCES[f"Deployment/contentgenai-{name}"]
    sources = _containers(pod)[0]["envFrom"]

    assert {"configMapRef": {"name": "contentgenai-config"}} in sources
    assert {"secretRef": {"name": "contentgenai-secrets"}} in sources


def test_secrets_stay_out_of_the_configmap():
    config = RESOURCES["ConfigMap/contentgenai-config"]["data"]
    secrets = RESOURCES["Secret/contentgenai-secrets"]["stringData"]

    assert {"DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "DATABASE_URL", "METRICS_TOKEN"} <= set(secrets)
    assert not set(config) & set(secrets)


def test_the_kustomization_lists_every_manifest_but_the_secret_template():
    kustomization = yaml.safe_load((K8S / "kustomization.yaml").read_text())

    expected = {p.name for p in MANIFESTS} - {"secret.example.yaml"}
    assert set(kustomization["resources"]) == expected


def _compose() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]


def _replicas(service: dict[str, Any]) -> int:
    value = str(service.get("deploy", {}).get("replicas", 1))
    if value.startswith("${"):  # ${NAME:-default}
        value = value.split(":-", 1)[1].rstrip("}")
    return int(value)


def test_compose_production_profile_scales_web_and_workers_and_keeps_one_beat():
    services = _compose()
    production = {name: s for name, s in services.items() if "production" in s.get("profiles", [])}
    every_profile = {name: s for name, s in services.items() if not s.get("profiles")}

    def runs(service: dict[str, Any], what: str) -> bool:
        command = service.get("command") or []
        return what in (command if isinstance(command, list) else command.split())

    web_processes = sum(_replicas(s) for s in services.values() if not s.get("command") and "build" in s)
    workers = sum(_replicas(s) for s in services.values() if runs(s, "worker"))
    beats = [name for name, s in services.items() if runs(s, "beat")]

    assert web_processes >= 3 and workers >= 3
    assert beats == ["beat"] and _replicas(services["beat"]) == 1 and not services["beat"].get("profiles")
    assert {"lb", "web-scale", "worker-scale"} <= set(production)
    # the plain `docker compose up` still has its whole stack
    assert {"postgres", "redis", "migrate", "web", "worker", "beat"} <= set(every_profile)


def test_compose_runs_the_issue_stack_from_one_image_under_production_settings():
    services = _compose()

    assert {"web", "worker", "beat", "postgres", "redis", "minio", "minio-init", "migrate"} <= set(services)
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["build"] == "."
        env = services[name]["environment"]
        assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert env["AWS_S3_ENDPOINT_URL"].endswith("http://minio:9000}")
        # the two secrets have no default: compose refuses to start without them
        assert env["DJANGO_SECRET_KEY"].startswith("${DJANGO_SECRET_KEY:?")
        assert env["FIELD_ENCRYPTION_KEYS"].startswith("${FIELD_ENCRYPTION_KEYS:?")
    assert "django_celery_beat.schedulers:DatabaseScheduler" in services["beat"]["command"]
    assert services["migrate"]["command"] == ["python", "manage.py", "migrate", "--noinput"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_dockerfile_is_multi_stage_non_root_asgi_with_static_files_collected_at_build():
    dockerfile = (ROOT / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)$", dockerfile, re.M)
    runtime = dockerfile.split("AS runtime", 1)[1]

    assert stages == ["builder", "runtime"]
    assert "build-essential" not in runtime  # the compiler stays in the builder
    assert re.search(r"^USER app$", runtime, re.M)
    assert "useradd --system --uid 10001" in runtime
    assert re.search(r"RUN [^\n]*\\\n(?:[^\n]*\\\n)*\s*python manage.py collectstatic --noinput", runtime)
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", runtime, re.M).group(1))  # type: ignore[union-attr]
    assert cmd[:2] == ["uvicorn", "config.asgi:application"]
    assert "DJANGO_SETTINGS_MODULE=config.settings.production" in runtime
    assert "HEALTHCHECK" in runtime
