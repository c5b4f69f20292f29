"""The one demo: 60 days of a churn model, monitored per region and model version.

Used by ``make demo`` / ``monitorflow demo`` (the monitors backfilled with Prefect into ``./workspace``,
then the delayed-ground-truth flow, one HTML report and a summary: :mod:`.run`), by
``monitorflow ui --demo`` (the same monitors run in the service's process, writing the same
snapshots under the same ids: :func:`fill`) and by the docs. Modules: :mod:`.data` (the dataset),
:mod:`.monitors` (the monitor of each model version, and :func:`fill`), :mod:`.run` (Prefect, CLI).

The dataset (:func:`make_events`, seeded, so every run writes the same results) is the log of a
churn model's scores, one row per scored customer event, in daily Parquet files
``<output>/data/events/YYYY-MM-DD.parquet``:

==================  ===========  =======================================================================
column              type         how it is generated
==================  ===========  =======================================================================
event_id            id           unique integer
event_time          datetime     uniform within its day (UTC)
region              segment      ``eu`` (about 420 events a weekday) or ``us`` (about 360)
model_version       filter       ``v1`` or ``v2``, 50/50 (an A/B test of two model versions)
plan                categorical  basic / standard / premium; **more premium from the drift day**
payment_method      categorical  card, bank transfer, paypal; 2 % missing; **paypal x2.5 from the drift day**
tenure_months       numerical    geometric, 1 to 72 months
monthly_charges     numerical    price of the plan + noise
sessions_7d         numerical    Poisson; higher on weekends; **+40 % from the drift day**
data_usage_gb       numerical    log-normal; higher on weekends; **x1.6 from the drift day**
support_calls_30d   numerical    Poisson(0.6)
age                 numerical    normal around 42, clipped to 18-85; 3 % missing
prediction          prediction   churn probability from the event's model version
==================  ===========  =======================================================================

Seasonality: 30 % fewer events on weekends, a monthly +-10 % cycle, more usage on weekends.
The drift starts on a known day (:data:`DRIFT_DAY`, 2026-02-09): usage, sessions, plan and
payment mix shift, and heavy users start to churn (a concept change). ``v1`` was trained before it
and degrades; ``v2`` also scores usage and holds up. Labels (``churned``) arrive
:data:`LABEL_DELAY` (14 days) after the event: ``<output>/data/labels.parquet`` holds only those
known at the end of the period, so the last two weeks have no model-quality snapshots yet.
The reference is a 28-day training sample before the period (``reference.parquet``, also stored in
the workspace as a dataset and read from there by id).

>>> events = make_events(0)
>>> sorted(events["region"].unique()), sorted(events["model_version"].unique())
(['eu', 'us'], ['v1', 'v2'])
"""

from monitorflow.demo.data import (
    DAYS,
    DRIFT_DAY,
    LABEL_DELAY,
    MODEL_VERSIONS,
    REGIONS,
    START,
    DemoData,
    make_events,
    write_data,
)
from monitorflow.demo.monitors import PROJECT, fill, monitor_config, monitors
from monitorflow.demo.run import DemoResult, main, run

__all__ = [
    "DAYS",
    "DRIFT_DAY",
    "LABEL_DELAY",
    "MODEL_VERSIONS",
    "PROJECT",
    "REGIONS",
    "START",
    "DemoData",
    "DemoResult",
    "fill",
    "main",
    "make_events",
    "monitor_config",
    "monitors",
    "run",
    "write_data",
]
