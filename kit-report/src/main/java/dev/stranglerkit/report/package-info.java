/**
 * The reports of {@code ./kit compare} and {@code ./kit chaos}: from plain records of
 * what a workload measured ({@link dev.stranglerkit.report.Recorder} collects it),
 * Markdown to read in a terminal or commit, and one self-contained HTML page with inline
 * SVG charts, both from the Mustache templates beside these classes. It knows nothing of
 * HTTP, the landscape or the launcher.
 */
package dev.stranglerkit.report;
