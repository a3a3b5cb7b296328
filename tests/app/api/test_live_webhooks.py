"""What an integrator does, end to end against gunicorn, a real worker and beat: a token from
`flask tokens create`, an endpoint registered through the API, submissions for many students,
webhooks verified with `standardwebhooks` by a receiver that goes down and comes back, and the
scores reconciled with /scores: every score arrives, verifies, matches, and is processed once."""

from __future__ import annotations

import pytest

from tests.app.api.test_live import assignment_ids, call
from tests.support.servers import CORRECT, WRONG, ServiceProcess, beat_command, service_env, wait_for, worker_command
from tests.support.waiting import wait_for_worker

LOOPBACK = {"NABLAGRADE_WEBHOOK_ALLOW_PRIVATE": "1"}
# Compressed retries: a retry every second for a minute.
RETRIES = {**LOOPBACK, "NABLAGRADE_WEBHOOK_RETRY_SCHEDULE": ",".join(["1"] * 60), "NABLAGRADE_WEBHOOK_SWEEP_GRACE": "1"}


@pytest.mark.parametrize("live_api_env", [LOOPBACK])
def test_an_integrator_gets_every_score_once_through_a_receiver_outage(live_api, live_api_env, app_context, course,
                                                                       receiver, database_url, redis_server,
                                                                       assignments_dir, tmp_path):
    made = app_context.test_cli_runner().invoke(args=["tokens", "create", "--course", course.code, "--name", "my-lms",
                                                      "--scope", "submissions:write", "--scope", "results:read",
                                                      "--scope", "webhooks:manage"])
    assert made.exit_code == 0, made.output
    secret = made.output.rstrip("\n").splitlines()[-1]
    headers = live_api.headers(secret)
    status, _, endpoint = call("POST", f"{live_api.url}/api/v1/webhook-endpoints", headers,
                               {"url": receiver.url, "events": ["submission.graded"]})
    assert status == 201, endpoint
    receiver.secrets = [endpoint["secret"]]
    t1 = assignment_ids(live_api, secret)["t1"]

    receiver.stop()  # down before anything is sent
    sent = {}
    for student in ("ann", "bob", "cy", "dee"):
        for source in (WRONG, CORRECT):
            status, _, body = call("POST", f"{live_api.url}/api/v1/assignments/{t1}/submissions", headers,
                                   {"code": source, "external_user_id": student})
            assert status == 202, body
            sent[body["id"]] = student

    processes = []
    try:
        for name, command in (("w1", worker_command("lms-w1")), ("beat", beat_command(tmp_path / "beat-schedule"))):
            instance = tmp_path / f"{name}-instance"
            instance.mkdir()
            processes.append(ServiceProcess(command, service_env(database_url, redis_server.url, instance,
                                                                 assignments_dir, **RETRIES),
                                            tmp_path / f"{name}.log").start())
        wait_for_worker("lms-w1")

        def graded_count() -> int:
            status, _, body = call("GET", f"{live_api.url}/api/v1/assignments/{t1}/scores", headers)
            return sum(row["grading_progress"] == "FullyGraded" and row["attempts"] == 2 for row in body["data"])

        wait_for(lambda: graded_count() == 4, 120, "every submission graded", interval=0.5)
        def attempted() -> bool:
            # The last result's message is sent after its commit, so its first attempt may
            # still be on its way when the scores say graded.
            status, _, log = call("GET", f"{live_api.url}/api/v1/webhook-endpoints/{endpoint['id']}/messages", headers)
            assert all(m["status"] == "pending" for m in log["data"]), log  # failing: it is down
            return len(log["data"]) == len(sent) and all(m["attempt_log"] for m in log["data"])

        wait_for(attempted, 30, "a failed attempt of every message", interval=0.5)
        receiver.start()
        wait_for(lambda: len(receiver.processed) == len(sent), 90, "every webhook after the receiver came back",
                 interval=0.5)
    finally:
        for process in processes:
            process.stop()

    assert all(r.verified for r in receiver.requests)
    by_submission = {p["data"]["submission_id"]: p["data"] for p in receiver.processed.values()}
    assert set(by_submission) == set(sent)
    status, _, scores = call("GET", f"{live_api.url}/api/v1/assignments/{t1}/scores", headers)
    for row in scores["data"]:
        webhook = by_submission[row["submission_id"]]
        assert (webhook["external_user_id"], webhook["score_given"]) == (row["external_user_id"], row["score_given"])
        assert webhook["attempt"] == 2
    for submission_id, data in by_submission.items():
        status, _, submission = call("GET", f"{live_api.url}/api/v1/submissions/{submission_id}", headers)
        assert submission["score"] == data["score_given"] and submission["external_user_id"] == sent[submission_id]
    status, _, log = call("GET", f"{live_api.url}/api/v1/webhook-endpoints/{endpoint['id']}/messages", headers)
    assert {m["status"] for m in log["data"]} == {"delivered"} and len(log["data"]) == len(sent)
