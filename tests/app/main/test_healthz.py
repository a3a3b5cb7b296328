import datetime as dt

from app.extensions import db
from app.models import WorkerHeartbeat


def heartbeat(queues: str, age: float) -> WorkerHeartbeat:
    seen = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age)
    return WorkerHeartbeat(instance=f"w-{queues}-{age}", hostname="h", pid=1, queues=queues, concurrency=2,
                           started_at=seen, last_seen=seen)


def test_healthz_is_503_without_a_live_grading_worker(app_context):
    response = app_context.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "down"
    assert body["database"]["ok"] and body["broker"]["ok"]
    assert body["workers"]["ok"] is False and "grading" in body["workers"]["error"]


def test_healthz_is_green_with_a_fresh_heartbeat_only(app_context):
    db.session.add(heartbeat("webhooks", 0))
    db.session.add(heartbeat("grading,maintenance", 60))  # stale: that worker is gone
    db.session.commit()
    assert app_context.test_client().get("/healthz").status_code == 503
    db.session.add(heartbeat("grading,maintenance", 0.5))
    db.session.commit()
    response = app_context.test_client().get("/healthz")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["workers"]["grading"] == 1


def test_healthz_reports_a_dead_broker(app_context, redis_server):
    db.session.add(heartbeat("grading", 0))
    db.session.commit()
    redis_server.stop()
    try:
        response = app_context.test_client().get("/healthz")
    finally:
        redis_server.start()
    assert response.status_code == 503
    assert response.get_json()["broker"]["ok"] is False


def test_the_service_the_engine_and_the_package_name_one_version(app_context):
    from importlib.metadata import version

    from graders import ENGINE_VERSION, __version__

    body = app_context.test_client().get("/healthz").get_json()
    assert body["version"] == __version__ == ENGINE_VERSION == version("nablagrade")
    assert f"nablagrade {__version__}" in app_context.test_client().get("/").get_data(as_text=True)
