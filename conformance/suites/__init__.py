"""The checks, as pytest modules shipped in the wheel (run them with `scim-conformance run`)."""
