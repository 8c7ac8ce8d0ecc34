"""scim-conformance: a SCIM 2.0 (RFC 7643/7644) conformance and contract test suite."""

__version__ = "0.1.0"
