"""Imports: calendar (.ics), mail (.eml, .mbox), CRM CSV, vCard (.vcf) and partnerdesk's own JSON.

    plan = plan_import(journal, ["meetings.ics"], rep_email="me@reseller.com")
    ... show plan.added / plan.skipped / plan.unmatched_domains, ask, plan again ...
    result = apply_import(journal, plan, progress=..., cancelled=...)

Nothing here imports Qt; the window runs these in a worker thread.
"""

from partnerdesk.services.importers.engine import (
    FORMATS,
    PREVIEW_LIMIT,
    apply_import,
    detect_format,
    plan_import,
)
from partnerdesk.services.importers.model import (
    ImportCancelled,
    ImportFailed,
    ImportPlan,
    ImportResult,
    PlannedContact,
    PlannedInteraction,
    Skipped,
    SkipReason,
    SourceFile,
)

__all__ = [
    "FORMATS",
    "PREVIEW_LIMIT",
    "ImportCancelled",
    "ImportFailed",
    "ImportPlan",
    "ImportResult",
    "PlannedContact",
    "PlannedInteraction",
    "SkipReason",
    "Skipped",
    "SourceFile",
    "apply_import",
    "detect_format",
    "plan_import",
]
