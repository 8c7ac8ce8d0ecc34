"""Every fault is real: the faulted sandbox shows its defect, the clean one does not."""

from __future__ import annotations

import re

import pytest
from sandbox_helpers import Scim
from sandbox_probes import PROBES, START_OPTIONS

from conformance.sandbox import FAULTS, FLAVOURS, Fault, start_sandbox
from conformance.sandbox.app import STRUCTURAL_FAULTS
from conformance.sandbox.defects import LAYERS
from conformance.sandbox.faults import AREAS, LEVELS

CASES = [
    pytest.param(name, flavour, id=f"{name}[{flavour}]")
    for name, fault in FAULTS.items()
    for flavour in fault.flavours
]


def test_the_catalogue_is_well_formed() -> None:
    assert len(FAULTS) >= 24
    for name, fault in FAULTS.items():
        assert isinstance(fault, Fault) and fault.name == name
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", name), name
        assert fault.level in LEVELS and fault.area in AREAS, name
        assert fault.flavours and set(fault.flavours) <= set(FLAVOURS), name
        assert re.match(r"(RFC764[34] §[\d.]+|Bizagi: |Entra: )", fault.clause), fault.clause
        assert fault.description and "\n" not in fault.description


def test_every_fault_is_implemented_once_and_probed() -> None:
    assert set(LAYERS).isdisjoint(STRUCTURAL_FAULTS)
    assert set(LAYERS) | STRUCTURAL_FAULTS == set(FAULTS)
    assert set(PROBES) == set(FAULTS)


@pytest.mark.parametrize(("name", "flavour"), CASES)
def test_the_fault_is_observable(name: str, flavour: str) -> None:
    options = START_OPTIONS.get(name, {})
    with start_sandbox(flavour, **options) as clean, Scim(clean) as scim:
        assert not PROBES[name](scim), f"the clean {flavour} sandbox already shows {name}"
    with start_sandbox(flavour, [name], **options) as faulted, Scim(faulted) as scim:
        assert PROBES[name](scim), f"the {flavour} sandbox with {name} does not show it"


def test_unknown_names_are_refused_with_one_line() -> None:
    with pytest.raises(ValueError, match=r"unknown sandbox flavour 'nope'.*rfc, bizagi") as info:
        start_sandbox("nope")
    assert "\n" not in str(info.value)
    with pytest.raises(ValueError, match=r"unknown sandbox fault 'nope'.*filter-ignored"):
        start_sandbox("rfc", ["nope"])
    with pytest.raises(ValueError, match=r"'delete-removes' does not apply to flavour 'rfc'"):
        start_sandbox("rfc", ["delete-removes"])


def test_faults_combine_and_are_reported_in_order() -> None:
    chosen = ["filter-ignored", "sort-ignored", "filter-ignored"]
    with start_sandbox("rfc", chosen) as server, Scim(server) as scim:
        assert server.faults == ("filter-ignored", "sort-ignored")
        assert PROBES["filter-ignored"](scim) and PROBES["sort-ignored"](scim)
