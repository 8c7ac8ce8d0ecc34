"""The two roots of everything that can go wrong in a run.

    SuiteError                 the suite could not judge (never the target's fault)
    ├── ConfigError            bad profile, option or environment          -> exit 2
    ├── TargetUnavailable      unreachable, timed out, not a SCIM endpoint -> exit 3
    │   └── AuthenticationFailed  credentials refused or not obtainable    -> exit 3
    └── BudgetExhausted        the run may create no more users            -> SKIP
    Nonconformance (AssertionError)  the target broke a requirement        -> FAIL / WARN

A check that raises a SuiteError is reported as `error` (or `skipped` for a budget),
never as a failure of the target.
"""

from __future__ import annotations


class SuiteError(Exception):
    """The suite could not do what a check asked of it."""


class ConfigError(SuiteError):
    """A profile, option or environment variable is missing or malformed."""


class TargetUnavailable(SuiteError):
    """The target could not be reached or did not answer as a SCIM service."""


class AuthenticationFailed(TargetUnavailable):
    """The target, or its token endpoint, refused the credentials."""


class BudgetExhausted(SuiteError):
    """Creating another resource would exceed the run's budget."""


class Nonconformance(AssertionError):
    """The target's behaviour breaks the requirement of the running check."""
