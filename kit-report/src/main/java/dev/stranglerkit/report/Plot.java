package dev.stranglerkit.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The area of a chart its data goes in, and the scales from data to pixels (y grows
 * upwards on the chart, downwards in SVG).
 */
record Plot(double left, double top, double right, double bottom, double xMax, double yMax) {

	double x(double value) {
		return this.left + (this.right - this.left) * value / this.xMax;
	}

	double y(double value) {
		return this.bottom - (this.bottom - this.top) * value / this.yMax;
	}

	/**
	 * Draws the axes, a grid line at each of the x ticks, and five steps on the y axis.
	 * @param xTicks the x values to mark
	 * @param xLabels their labels
	 */
	void axes(Svg svg, List<Double> xTicks, List<String> xLabels, String xTitle, String yTitle) {
		String grid = "stroke=\"#e0e0e0\"";
		for (int i = 0; i < xTicks.size(); i++) {
			double x = x(xTicks.get(i));
			svg.line(x, this.top, x, this.bottom, grid);
			svg.text(x, this.bottom + 16, xLabels.get(i), "middle", "");
		}
		for (int i = 0; i <= 5; i++) {
			double value = this.yMax * i / 5;
			svg.line(this.left, y(value), this.right, y(value), grid);
			svg.text(this.left - 6, y(value) + 4, Tables.number(value), "end", "");
		}
		String axis = "stroke=\"#444\"";
		svg.line(this.left, this.bottom, this.right, this.bottom, axis);
		svg.line(this.left, this.top, this.left, this.bottom, axis);
		svg.text((this.left + this.right) / 2, this.bottom + 34, xTitle, "middle", "");
		svg.text(this.left, this.top - 8, yTitle, "middle", "");
	}

	/**
	 * Draws the axes of a chart over time, its x values seconds from 0 to {@link #xMax}.
	 * @param most about how many seconds to mark at the most (round steps of 1, 2 or 5
	 * times a power of ten)
	 */
	void secondsAxes(Svg svg, int most, String xTitle, String yTitle) {
		List<Double> ticks = new ArrayList<>();
		List<String> labels = new ArrayList<>();
		int step = (int) Math.max(1, ceiling(this.xMax / most));
		for (int second = 0; second <= this.xMax; second += step) {
			ticks.add((double) second);
			labels.add(Integer.toString(second));
		}
		axes(svg, ticks, labels, xTitle, yTitle);
	}

	/**
	 * @return a round number at least as large as the value (1, 2 or 5 times a power of
	 * ten), for an axis to end on
	 */
	static double ceiling(double value) {
		if (!(value > 0)) {
			return 1;
		}
		double power = Math.pow(10, Math.floor(Math.log10(value)));
		double fraction = value / power;
		double nice = (fraction <= 1) ? 1 : (fraction <= 2) ? 2 : (fraction <= 5) ? 5 : 10;
		return nice * power;
	}

}
