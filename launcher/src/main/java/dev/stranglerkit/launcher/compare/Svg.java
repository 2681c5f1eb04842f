package dev.stranglerkit.launcher.compare;

import java.util.List;
import java.util.Locale;

/**
 * Writes one inline SVG chart: the report's page must open offline, so it draws its
 * charts itself instead of loading a charting library.
 */
final class Svg {

	private final StringBuilder out = new StringBuilder();

	/**
	 * @param kind the chart's kind, its {@code data-chart} attribute
	 * @param title what the chart shows, its {@code <title>}
	 */
	Svg(String kind, String title, int width, int height) {
		this.out.append("<svg class=\"chart\" data-chart=\"")
			.append(Html.escape(kind))
			.append("\" viewBox=\"0 0 ")
			.append(width)
			.append(' ')
			.append(height)
			.append("\" width=\"")
			.append(width)
			.append("\" height=\"")
			.append(height)
			.append("\" role=\"img\">\n<title>")
			.append(Html.escape(title))
			.append("</title>\n");
	}

	Svg line(double x1, double y1, double x2, double y2, String style) {
		this.out.append("<line x1=\"")
			.append(n(x1))
			.append("\" y1=\"")
			.append(n(y1))
			.append("\" x2=\"")
			.append(n(x2))
			.append("\" y2=\"")
			.append(n(y2))
			.append("\" ")
			.append(style)
			.append("/>\n");
		return this;
	}

	/**
	 * @param anchor {@code start}, {@code middle} or {@code end}
	 */
	Svg text(double x, double y, String text, String anchor, String style) {
		this.out.append("<text x=\"")
			.append(n(x))
			.append("\" y=\"")
			.append(n(y))
			.append("\" text-anchor=\"")
			.append(anchor)
			.append("\" ")
			.append(style)
			.append('>')
			.append(Html.escape(text))
			.append("</text>\n");
		return this;
	}

	/**
	 * @param points x and y pairs
	 * @param label what the line shows, its tooltip
	 */
	Svg polyline(List<double[]> points, String color, String style, String label) {
		this.out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" ").append(style);
		this.out.append(" points=\"");
		for (int i = 0; i < points.size(); i++) {
			this.out.append((i > 0) ? " " : "").append(n(points.get(i)[0])).append(',').append(n(points.get(i)[1]));
		}
		this.out.append("\"><title>").append(Html.escape(label)).append("</title></polyline>\n");
		return this;
	}

	/**
	 * @param label the rectangle's tooltip, or null
	 */
	Svg rect(double x, double y, double width, double height, String color, String label) {
		this.out.append("<rect x=\"")
			.append(n(x))
			.append("\" y=\"")
			.append(n(y))
			.append("\" width=\"")
			.append(n(width))
			.append("\" height=\"")
			.append(n(height))
			.append("\" fill=\"")
			.append(color)
			.append('"');
		if (label != null) {
			this.out.append("><title>").append(Html.escape(label)).append("</title></rect>\n");
		}
		else {
			this.out.append("/>\n");
		}
		return this;
	}

	String end() {
		return this.out.append("</svg>\n").toString();
	}

	private static String n(double value) {
		return String.format(Locale.ROOT, "%.1f", value);
	}

}
