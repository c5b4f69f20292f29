"""Deliberate differences from Evidently's legacy surface, with the reason (read by ``compat_surface.py``).

Keys are glob patterns over ``module``, ``module:Name`` or ``module:Name.member`` (module paths without
``evidently.legacy.``); the first matching pattern gives the reason. A ``module:Name`` pattern covers only
names monitorflow does not have; a ``module`` pattern covers the whole module.
"""

SERVICE = (
    "Evidently's server internals (FastAPI app, storage, security, managers); monitorflow's service is "
    "its own (`monitorflow.service`, docs/service.md) and users reach it through Workspace/RemoteWorkspace"
)

RENDERING = (
    "Evidently's HTML rendering (renderer classes, widget and plot builders); monitorflow draws its pages "
    "from results in `monitorflow.render`, reached through `show()`, `get_html()` and `save_html()`"
)
CHART_DATA = (
    "chart data of Evidently's results (scatter points, plots over time, boxes); monitorflow's results keep "
    "the numbers and `monitorflow.render` draws the charts from them"
)
INTERNAL = (
    "an internal of Evidently's implementation (a base class, parameter record or helper function its "
    "metrics and tests call), not API users call; monitorflow's metrics and checks have their own"
)
RUN_MACHINERY = (
    "Evidently's run machinery (context, states, renderer lookup); monitorflow's Report and TestSuite run "
    "through `monitorflow._suite` and keep results as snapshots (`monitorflow.snapshot`)"
)
METRIC_BASES = (
    "Evidently's base-class machinery for metric authors beyond `Metric` and `MetricResult` (column-metric "
    "bases, field-path metaclasses, error results); a custom metric in monitorflow subclasses "
    "`Metric[Result]` "
    "and `MetricResult`, as Evidently's how-to does"
)
TEST_METHODS = (
    "the steps of Evidently's Test classes (value, condition, description, metric lookup) that its run "
    "calls; a monitorflow check computes in `check(ctx)` and gives its value, condition and description "
    "in the test result"
)
DASHBOARD_BUILD = (
    "Evidently's service builds panels with this method; monitorflow's service builds them from the panel "
    "specs (`monitorflow.panels`, `monitorflow.panel_data`)"
)
FEATURES = (
    "Evidently's per-row feature generators behind descriptors (`column_name=` constructors); monitorflow "
    'computes descriptors directly: `TextLength().on("review")` from `monitorflow.descriptors`'
)

DIFFERENT: dict[str, str] = {
    "*:*Renderer": RENDERING,
    "renderers.render_utils": RENDERING,
    "renderers.html_widgets:*": RENDERING,
    "renderers.base_renderer:*": RENDERING,
    "utils.visualizations": RENDERING,
    "utils.dashboard": RENDERING,
    "model.dashboard": RENDERING,
    "model.widget:*": RENDERING,
    "metrics.regression_performance.visualization": RENDERING,
    "tests.utils:plot_*": RENDERING,
    "tests.utils:dataframes_to_table": RENDERING,
    "metric_results:*Scatter*": CHART_DATA,
    "metric_results:*scatter*": CHART_DATA,
    "metric_results:raw_agg_properties": CHART_DATA,
    "metric_results:DistributionIncluded": CHART_DATA,
    "metrics.data_integrity.column_summary_metric:Data*": CHART_DATA,
    "metrics.data_integrity.column_summary_metric:plot_data": CHART_DATA,
    "metrics.regression_performance.objects": CHART_DATA,
    "metrics.regression_performance.predicted_vs_actual:AggPredActualScatter": CHART_DATA,
    "metrics.regression_performance.top_error:AggTopData": CHART_DATA,
    "metric_results:PredictionData": INTERNAL,
    "metric_results:StatsByFeature": INTERNAL,
    "metric_results:DatasetUtilityColumns": INTERNAL,
    "calculations.classification_performance": INTERNAL,
    "calculations.data_drift:[a-z]*": INTERNAL,
    "calculations.data_drift:DatasetDrift": INTERNAL,
    "calculations.data_integration": INTERNAL,
    "calculations.data_quality": INTERNAL,
    "calculations.recommender_systems": INTERNAL,
    "calculations.regression_performance": INTERNAL,
    "calculations.utils": INTERNAL,
    "calculations.stattests.utils": INTERNAL,
    "calculations.stattests.mmd_stattest:*": INTERNAL,
    "calculations.stattests.z_stattest:proportions_*": INTERNAL,
    "calculations.stattests.cramer_von_mises_stattest:CramerVonMisesResult": INTERNAL,
    "calculations.stattests.registry:Python*": INTERNAL,
    "calculations.stattests.registry:StatTestImpl": INTERNAL,
    "calculations.stattests.registry:StatTestData": INTERNAL,
    "calculations.stattests.registry:add_stattest_impl": INTERNAL,
    "calculations.stattests.registry:create_impl_wrapper": INTERNAL,
    "calculations.stattests.registry:get_registered_stattest*": INTERNAL,
    "metrics.utils": INTERNAL,
    "metrics.regression_performance.utils": INTERNAL,
    "metrics.data_drift.base": INTERNAL,
    "metrics.data_drift.column_drift_metric:get_one_column_drift": INTERNAL,
    "metrics.classification_performance.base_classification_metric": INTERNAL,
    "metrics.classification_performance.class_separation_metric:prepare_box_data": INTERNAL,
    "metrics.classification_performance.confusion_matrix_metric:*Parameters": INTERNAL,
    "metrics.classification_performance.objects:ClassificationReport": INTERNAL,
    "metrics.classification_performance.*:LabelModel": INTERNAL,
    "metrics.data_integrity.dataset_missing_values_metric:NoneKey": INTERNAL,
    "metrics.data_integrity.dataset_summary_metric:NumpyDtype": INTERNAL,
    "metrics.recsys.base_top_k:TopKMetric": INTERNAL,
    "metrics.recsys.pairwise_distance": INTERNAL,
    "metrics.recsys.train_stats": INTERNAL,
    "metrics.recsys.precision_recall_k": INTERNAL,
    "tests.*:Base*": INTERNAL,
    "tests.*:*Parameter": INTERNAL,
    "tests.*:*Parameters": INTERNAL,
    "tests.classification_performance_tests:*ClassificationTest*": INTERNAL,
    "tests.utils:approx_result": INTERNAL,
    "tests.utils:ApproxValueNoDict": INTERNAL,
    "tests.base_test:ConditionFromReferenceMixin": INTERNAL,
    "metrics.data_drift.embedding_drift_methods:[!a-z]*": INTERNAL,
    "metrics.data_drift.embedding_drift_methods:[a-z]*_*": INTERNAL,
    "metrics.data_drift.feature_importance:get_*": INTERNAL,
    "metrics.data_drift.text_domain_classifier_drift_metric:TextDomainClassifierDriftMetric.*": (
        "the steps of Evidently's domain classifier, as static methods; monitorflow's are functions: "
        "`fit_domain_classifier` and `random_auc_percentile` (`monitorflow.stattests.text_content_drift`, "
        "shared with the text content drift stattests), `typical_examples` and `typical_words` "
        "(`monitorflow.metrics.data_drift.text_domain_classifier`)"
    ),
    "options.data_drift": (
        "Evidently's drift metrics build DataDriftOptions internally from their own parameters (stattest=, "
        "drift_share=, ...); monitorflow's drift metrics and presets take the same parameters"
    ),
    "options.quality_metrics": INTERNAL,
    "utils.data_preprocessing": (
        "Evidently builds this data definition inside each run; monitorflow's is "
        "`monitorflow.column_mapping.DataDefinition` (from a ColumnMapping), with its own fields"
    ),
    "utils.data_drift_utils": INTERNAL,
    "utils.data_operations": INTERNAL,
    "utils.sync": INTERNAL,
    "utils.numpy_encoder:add_type_mapping": INTERNAL,
    "core:get_*": INTERNAL,
    "core:BaseResult": INTERNAL,
    "suite.base_suite:*": RUN_MACHINERY,
    "features*": FEATURES,
    "descriptors*:*.feature": FEATURES,
    "tests.*:*.calculate_value_for_test": TEST_METHODS,
    "tests.*:*.get_condition*": TEST_METHODS,
    "tests.*:*.get_description": TEST_METHODS,
    "tests.*:*.get_stat": TEST_METHODS,
    "tests.*:*.get_value": TEST_METHODS,
    "tests.*:*.metric": TEST_METHODS,
    "tests.*:*.get_metric": TEST_METHODS,
    "metrics.*:*.required_features": INTERNAL,
    "metrics.*:*.generated_text_features": INTERNAL,
    "metrics.*:*.calculate_metrics": INTERNAL,
    "metrics.*:*_agg": CHART_DATA,
    "metrics.*:*_raw": CHART_DATA,
    "ui.dashboards.*:*.build": DASHBOARD_BUILD,
    "ui.dashboards.*:*.safe_build": DASHBOARD_BUILD,
    "base_metric:*": METRIC_BASES,
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
    "ui.base:*": SERVICE,
    "ui.errors:*": SERVICE,
    "ui.workspace.remote:*": SERVICE,
    "ui.workspace.view:*": SERVICE,
    "ui.dashboards.*:[a-z]*": SERVICE,
    "ui.workspace:CloudWorkspace": (
        "Evidently Cloud is a hosted product; monitorflow's remote is RemoteWorkspace"
    ),
    "ui.workspace.cloud": "Evidently Cloud is a hosted product; monitorflow's remote is RemoteWorkspace",
    "ui.demo_projects.*": "the demo projects download their data sets; monitorflow.demo generates its own",
    "cli*": "monitorflow has its own command line (`monitorflow ...`, docs/service.md)",
    "collector*": "the collector service's job (scheduled snapshots) is done by monitorflow's Prefect flows",
    "spark": "no Spark engine: one pandas engine",
    "calculation_engine*": "no pluggable calculation engines: one pandas engine",
    "runner*": "Evidently's config-file runner; monitorflow's definitions run as Prefect flows",
    "experimental*": "experimental in Evidently",
    "utils.llm*": "LLM calls need the network, which monitorflow never uses at run time",
    "descriptors:*LLMEval": "LLM calls need the network, which monitorflow never uses at run time",
    "descriptors:OpenAIPrompting": "LLM calls need the network, which monitorflow never uses at run time",
    "descriptors.llm_judges": "LLM calls need the network, which monitorflow never uses at run time",
    "descriptors.openai_descriptor": "LLM calls need the network, which monitorflow never uses at run time",
}
