"""The claims of the two papers, registered with checks and negative controls.

Importing this package registers every claim module; :data:`REGISTRY` maps a spec id (``"C1"`` …) to its
:class:`~proofs_checks.registry.Claim`. Run them with ``maxslope verify`` or ``python -m proofs_checks``.
"""

from . import banach, budget, contract, convergence, metric_layer, perimeter, two_moons, wasserstein  # noqa: F401  (registration side effects)
from .registry import PENDING_ISSUE, REGISTRY, SPEC_IDS, Claim, ClaimOutcome, Evidence, le, register, run_claim

__all__ = ["REGISTRY", "SPEC_IDS", "PENDING_ISSUE", "Claim", "ClaimOutcome", "Evidence", "le", "register", "run_claim"]
