"""Discovery documents (RFC 7644 §4; RFC 7643 §5-§7)."""

from conformance.checks import expect_json_object, expect_status, requirement
from conformance.http import ScimClient


@requirement("discovery/spc-get")
def test_service_provider_config_is_served(scim: ScimClient) -> None:
    response = scim.get("/ServiceProviderConfig")
    expect_status(response, 200)
    expect_json_object(response)
