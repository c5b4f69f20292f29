"""Model quality estimated without labels: the engine behind the Estimated* metrics and tests.

- :mod:`~monitorflow.estimation.calibration`: isotonic calibration, its cross-validated check and
  bootstrap replicates;
- :mod:`~monitorflow.estimation.classification`: CBPE (expected confusion matrices, ROC AUC from
  score histograms, mergeable sums, standard errors);
- :mod:`~monitorflow.estimation.regression` and :mod:`~monitorflow.estimation.trees`: DLE (models
  of the absolute and squared error, stored as plain arrays);
- :mod:`~monitorflow.estimation.quality`: scores of a confusion matrix, their gradients and
  variances; :mod:`~monitorflow.estimation.band`: an estimate with its band;
- :mod:`~monitorflow.estimation.inputs`: reading probabilities, labels and model inputs (with the
  refusals); :mod:`~monitorflow.estimation.states`: fingerprints, JSON and the in-process cache.

Nothing here does I/O or imports Prefect; scikit-learn is imported only to fit DLE's models.
See docs/estimation.md.
"""
