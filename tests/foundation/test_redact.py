"""Secrets never survive redaction: headers, JSON members, free text, form bodies."""

from conformance.redact import REDACTED, Redactor


def test_authorization_keeps_scheme_only() -> None:
    clean = Redactor().headers({"Authorization": "Bearer abc.def", "Accept": "x"})
    assert clean == {"Authorization": f"Bearer {REDACTED}", "Accept": "x"}


def test_known_secret_masked_in_text_and_json() -> None:
    redactor = Redactor(["s3cr3t-token"])
    assert "s3cr3t-token" not in redactor.text("url?x=s3cr3t-token&y=1")
    cleaned = redactor.json({"a": ["prefix s3cr3t-token"], "password": "pw", "Password": "pw2"})
    assert cleaned == {"a": [f"prefix {REDACTED}"], "password": REDACTED, "Password": REDACTED}


def test_form_body_secret_masked() -> None:
    text = Redactor().body(b"grant_type=client_credentials&client_secret=abc123&scope=api")
    assert text is not None and "abc123" not in text and "scope=api" in text


def test_json_body_password_masked() -> None:
    text = Redactor().body(b'{"userName": "u", "password": "hunter2"}')
    assert text is not None and "hunter2" not in text and '"userName": "u"' in text
