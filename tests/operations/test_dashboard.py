"""The sample Grafana dashboard asks only for metrics the server really exports."""

from __future__ import annotations

import json
import re
from pathlib import Path

from prometheus_client import REGISTRY

import outreach.metrics  # noqa: F401  (registers the metrics)

DASHBOARD = Path(__file__).resolve().parents[2] / "deploy" / "grafana" / "outreach-dashboard.json"


def test_every_dashboard_query_names_an_exported_metric():
    dashboard = json.loads(DASHBOARD.read_text())
    exported = set()
    for family in REGISTRY.collect():
        exported.update(sample.name for sample in family.samples)
        # Histograms expose _bucket only once observed; name them all the same.
        exported.update(f"{family.name}{suffix}" for suffix in ("_bucket", "_count", "_sum",
                                                                "_total"))
    queried = {name for panel in dashboard["panels"] for target in panel["targets"]
               for name in re.findall(r"\boutreach_[a-z_]+", target["expr"])}
    assert len(queried) >= 7
    assert queried <= exported, queried - exported
