"""One metric in a Report, or one test in a TestSuite, run and its result returned."""

from monitorflow import Report, TestSuite


def run_metric(metric, current, reference=None, mapping=None):
    report = Report(metrics=[metric])
    report.run(reference_data=reference, current_data=current, column_mapping=mapping)
    return report.result(metric)


def run_test(test, current, reference=None, mapping=None):
    suite = TestSuite(tests=[test])
    suite.run(reference_data=reference, current_data=current, column_mapping=mapping)
    return suite.results[0]
