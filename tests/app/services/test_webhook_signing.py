"""Standard Webhooks signatures, checked by the `standardwebhooks` package an integrator uses."""

import base64
import datetime as dt
import time

import pytest
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from app.services import webhook_signing

BODY = b'{"type":"webhook.test","timestamp":"2026-03-01T12:00:05+00:00","data":{"endpoint_id":1,"message":"hi"}}'


def test_a_secret_is_whsec_and_32_random_bytes():
    one, two = webhook_signing.new_secret(), webhook_signing.new_secret()
    assert one.startswith("whsec_") and one != two
    assert len(base64.b64decode(one.removeprefix("whsec_"))) == 32


def test_message_ids_are_unique_and_sort_by_time():
    earlier = webhook_signing.new_message_id(now=1_700_000_000.0)
    later = webhook_signing.new_message_id(now=1_700_000_001.0)
    assert earlier.startswith("msg_") and len(earlier) == 30
    assert earlier < later
    assert len({webhook_signing.new_message_id() for _ in range(1000)}) == 1000


def test_the_package_verifies_our_signature_and_agrees_on_its_bytes():
    secret = webhook_signing.new_secret()
    headers = webhook_signing.headers("msg_1", BODY, [secret])
    assert Webhook(secret).verify(BODY, headers)["data"]["message"] == "hi"
    # The package's own signer writes the same signature for the same id, time and body.
    stamp = int(headers["webhook-timestamp"])
    theirs = Webhook(secret).sign("msg_1", dt.datetime.fromtimestamp(stamp, dt.UTC), BODY.decode())
    assert headers["webhook-signature"] == theirs


def test_a_wrong_secret_a_tampered_body_or_a_stale_time_fail():
    secret = webhook_signing.new_secret()
    headers = webhook_signing.headers("msg_1", BODY, [secret])
    with pytest.raises(WebhookVerificationError):
        Webhook(webhook_signing.new_secret()).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY.replace(b'"hi"', b'"HI"'), headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, {**headers, "webhook-id": "msg_2"})
    stale = webhook_signing.headers("msg_1", BODY, [secret], timestamp=int(time.time()) - 600)
    with pytest.raises(WebhookVerificationError):
        Webhook(secret).verify(BODY, stale)


def test_during_a_rotation_both_secrets_verify():
    new, old = webhook_signing.new_secret(), webhook_signing.new_secret()
    headers = webhook_signing.headers("msg_1", BODY, [new, old])
    assert len(headers["webhook-signature"].split(" ")) == 2
    assert Webhook(new).verify(BODY, headers) and Webhook(old).verify(BODY, headers)
    with pytest.raises(WebhookVerificationError):
        Webhook(webhook_signing.new_secret()).verify(BODY, headers)


def test_signing_needs_a_secret():
    with pytest.raises(ValueError):
        webhook_signing.headers("msg_1", BODY, [])
