"""The one place the evidence area writes into an appraisal form (SPEC §11: an accepted proposal
becomes an entry of the form).

The appraisal area has no public action that writes entries without a step of the cycle
(``appraisal_score`` requires every required section and moves the form to "scored"). Until it
offers one (e.g. ``appraisal_set_entries(*, appraisal, entries, actor)``), this function stands in
for it, reusing the appraisal service's own scoring so that no rule is repeated here. The caller
checks the permission and the state and holds the transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aftersales.appraisal import services as appraisal_services
from aftersales.appraisal.models import Appraisal
from aftersales.appraisal.scoring import json_ready


def appraisal_write_entries(*, appraisal: Appraisal, entries: Mapping[str, Any]) -> None:
    """Store ``entries`` on the (unscored or returned) form; a form scored before is re-scored so
    its total shows the accepted entry. The appraisal's history table records the change."""
    appraisal.entries = json_ready(entries)
    if appraisal.form_total is not None:
        appraisal_services._apply_scores(appraisal, appraisal.entries, ())
    appraisal.save()
