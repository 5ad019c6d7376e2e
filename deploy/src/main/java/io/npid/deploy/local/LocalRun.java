package io.npid.deploy.local;

import io.npid.deploy.client.QueryOutcome;
import io.npid.deploy.report.ReportData;
import java.util.List;

/**
 * The result of a local run.
 *
 * @param summary the figures
 * @param report what the report shows
 * @param outcomes every final query's outcome, in test-set order
 */
public record LocalRun(LocalSummary summary, ReportData report, List<QueryOutcome> outcomes) {}
