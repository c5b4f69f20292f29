"""Deliberate differences from Evidently's legacy surface, with the reason (read by ``compat_surface.py``).

Keys are glob patterns over ``module``, ``module:Name`` or ``module:Name.member`` (module paths without
``evidently.legacy.``); the first matching pattern gives the reason.
"""

SERVICE = (
    "Evidently's server internals (FastAPI app, storage, security, managers); monitorflow's service is "
    "its own (`monitorflow.service`, docs/service.md) and users reach it through Workspace/RemoteWorkspace"
)

DIFFERENT: dict[str, str] = {
    "ui.api*": SERVICE,
    "ui.app": SERVICE,
    "ui.components*": SERVICE,
    "ui.config": SERVICE,
    "ui.datasets": SERVICE,
    "ui.local_service": SERVICE,
    "ui.managers*": SERVICE,
    "ui.security*": SERVICE,
    "ui.storage*": SERVICE,
    "ui.type_aliases": SERVICE,
    "ui.utils": SERVICE,
    "ui.workspace.cloud": "Evidently Cloud is a hosted product; monitorflow's remote is RemoteWorkspace",
    "ui.demo_projects.*": "the demo projects download their data sets; monitorflow.demo generates its own",
    "cli*": "monitorflow has its own command line (`monitorflow ...`, docs/service.md)",
    "collector*": "the collector service's job (scheduled snapshots) is done by monitorflow's Prefect flows",
    "spark": "no Spark engine: one pandas engine",
    "calculation_engine*": "no pluggable calculation engines: one pandas engine",
    "runner*": "Evidently's config-file runner; monitorflow's definitions run as Prefect flows",
    "experimental*": "experimental in Evidently",
    "utils.llm*": "LLM calls need the network, which monitorflow never uses at run time",
    "descriptors.llm_judges": "LLM calls need the network, which monitorflow never uses at run time",
    "descriptors.openai_descriptor": "LLM calls need the network, which monitorflow never uses at run time",
    "features.llm_judge": "LLM calls need the network, which monitorflow never uses at run time",
    "features.openai_feature": "LLM calls need the network, which monitorflow never uses at run time",
}
