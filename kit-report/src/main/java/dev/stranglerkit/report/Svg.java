package dev.stranglerkit.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One inline SVG chart, drawn shape by shape and written by {@code chart.svg.mustache}:
 * the report's page must open offline, so its charts are part of it. Coordinates are
 * pixels, written with one decimal.
 */
final class Svg {

	private final String kind;

	private final String title;

	private final int width;

	private final int height;

	private final List<Shape> shapes = new ArrayList<>();

	/**
	 * @param kind the chart's kind, its {@code data-chart} attribute
	 * @param title what the chart shows, its {@code <title>}
	 */
	Svg(String kind, String title, int width, int height) {
		this.kind = kind;
		this.title = title;
		this.width = width;
		this.height = height;
	}

	/**
	 * @param style further attributes, written as they are
	 */
	Svg line(double x1, double y1, double x2, double y2, String style) {
		this.shapes.add(new Shape(new Line(n(x1), n(y1), n(x2), n(y2), style), null, null, null));
		return this;
	}

	/**
	 * @param anchor {@code start}, {@code middle} or {@code end}
	 * @param style further attributes, written as they are
	 */
	Svg text(double x, double y, String text, String anchor, String style) {
		this.shapes.add(new Shape(null, new Text(n(x), n(y), anchor, style, text), null, null));
		return this;
	}

	/**
	 * @param points x and y pairs
	 * @param label what the line shows, its tooltip
	 */
	Svg polyline(List<double[]> points, String color, String style, String label) {
		List<String> pairs = points.stream().map((point) -> n(point[0]) + "," + n(point[1])).toList();
		this.shapes.add(new Shape(null, null, new Polyline(color, style, String.join(" ", pairs), label), null));
		return this;
	}

	/**
	 * @param label the rectangle's tooltip, or null
	 */
	Svg rect(double x, double y, double width, double height, String color, String label) {
		this.shapes.add(new Shape(null, null, null, new Rect(n(x), n(y), n(width), n(height), color, label)));
		return this;
	}

	String end() {
		return Templates.render("chart.svg.mustache", this);
	}

	String kind() {
		return this.kind;
	}

	String title() {
		return this.title;
	}

	int width() {
		return this.width;
	}

	int height() {
		return this.height;
	}

	List<Shape> shapes() {
		return this.shapes;
	}

	private static String n(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

	/** One of the shapes, the others null: the template writes the one given. */
	record Shape(Line line, Text text, Polyline polyline, Rect rect) {
	}

	record Line(String x1, String y1, String x2, String y2, String style) {
	}

	record Text(String x, String y, String anchor, String style, String text) {
	}

	record Polyline(String color, String style, String points, String label) {
	}

	record Rect(String x, String y, String width, String height, String color, String label) {
	}

}
