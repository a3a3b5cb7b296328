"""The OpenAPI document: generated from the code, valid OpenAPI 3.1, complete about errors
and webhooks; and the reference page made from it."""

from openapi_spec_validator import validate

from app.services import webhook_events


def document(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    return response.get_json()


def test_the_document_is_valid_openapi_3_1(client):
    spec = document(client)
    assert spec["openapi"] == "3.1.0"
    validate(spec)


def test_every_operation_is_bearer_protected_and_answers_errors_as_problems(client):
    spec = document(client)
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "ngt_<43 characters>",
        "description": "An integration token of one course (`flask tokens create`)."}
    operations = [(path, method, op) for path, item in spec["paths"].items() for method, op in item.items()
                  if method in ("get", "post", "put", "patch", "delete")]
    assert {(p, m) for p, m, _ in operations} >= {
        ("/api/v1/assignments", "get"), ("/api/v1/assignments/{assignment_id}/submissions", "post"),
        ("/api/v1/submissions/{submission_id}", "get"), ("/api/v1/submissions/{submission_id}/result", "get"),
        ("/api/v1/assignments/{assignment_id}/scores", "get"),
        ("/api/v1/webhook-endpoints", "get"), ("/api/v1/webhook-endpoints", "post"),
        ("/api/v1/webhook-endpoints/{endpoint_id}", "get"), ("/api/v1/webhook-endpoints/{endpoint_id}", "patch"),
        ("/api/v1/webhook-endpoints/{endpoint_id}", "delete"),
        ("/api/v1/webhook-endpoints/{endpoint_id}/rotate-secret", "post"),
        ("/api/v1/webhook-endpoints/{endpoint_id}/test", "post"),
        ("/api/v1/webhook-endpoints/{endpoint_id}/recover", "post"),
        ("/api/v1/webhook-endpoints/{endpoint_id}/messages", "get"),
        ("/api/v1/webhook-messages/{message_id}", "get"), ("/api/v1/webhook-messages/{message_id}/replay", "post")}
    default = spec["components"]["responses"]["DEFAULT_ERROR"]
    assert list(default["content"]) == ["application/problem+json"]
    for path, method, op in operations:
        assert op["security"][0]["bearerAuth"], (path, method)
        assert op["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}, (path, method)
    problem = spec["components"]["schemas"]["ProblemDetails"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "instance"}


def test_every_webhook_event_has_a_schema_and_an_example_that_fits_it(client):
    spec = document(client)
    assert set(spec["webhooks"]) == set(webhook_events.EVENTS) == {
        "submission.received", "submission.graded", "submission.grading_failed", "grade.updated", "webhook.test"}
    for name, item in spec["webhooks"].items():
        content = item["post"]["requestBody"]["content"]["application/json"]
        ref = content["schema"]["$ref"].rsplit("/", 1)[1]
        assert ref in spec["components"]["schemas"]
        # The example is what the marshmallow schema accepts, and what it would write.
        event = webhook_events.EVENTS[name]
        assert event.schema().validate(content["example"]) == {}
        assert content["example"]["type"] == name
        assert {"webhook-id", "webhook-timestamp", "webhook-signature"} == {
            p["name"] for p in item["post"]["parameters"]}
