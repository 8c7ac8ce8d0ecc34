"""The embedded reference SCIM target: scim2-server with a Bizagi twin and named faults.

``start_sandbox("rfc")`` serves a conformant SCIM 2.0 server on a free loopback port;
``start_sandbox("bizagi")`` serves a twin of Bizagi's SCIM API; ``faults=[...]`` switches on
named defects from :data:`FAULTS`, each a violation of one clause, so that the suite's own
tests can prove that every check catches its defect.
"""

from conformance.sandbox.faults import FAULTS, FLAVOURS, Fault
from conformance.sandbox.server import SandboxServer, start_sandbox

__all__ = ["FAULTS", "FLAVOURS", "Fault", "SandboxServer", "start_sandbox"]
