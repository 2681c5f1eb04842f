package dev.stranglerkit.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheFactory;
import com.github.mustachejava.MustacheResolver;

/**
 * The reports' Mustache templates, in {@code src/main/resources/dev/stranglerkit/report}.
 * A template whose name ends in {@code .md} writes its values as they are (Markdown is
 * text, its tables escape their cells themselves); every other one escapes them for HTML
 * and SVG, since deployment names, endpoints and invariant details come from outside the
 * report.
 */
final class Templates {

	/** beside this class, read with its class loader (a nested jar in the launcher's) */
	private static final MustacheResolver BESIDE = (name) -> {
		InputStream template = Templates.class.getResourceAsStream(name);
		return (template != null) ? new InputStreamReader(template, StandardCharsets.UTF_8) : null;
	};

	private static final MustacheFactory HTML = new DefaultMustacheFactory(BESIDE);

	private static final MustacheFactory MARKDOWN = new DefaultMustacheFactory(BESIDE) {

		@Override
		public void encode(String value, Writer writer) {
			try {
				writer.write(value);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	};

	private Templates() {
	}

	/**
	 * @param template the template's file name, e.g. {@code compare.html.mustache}
	 * @param scope what the template reads its values from
	 */
	static String render(String template, Object scope) {
		MustacheFactory factory = template.contains(".md.") ? MARKDOWN : HTML;
		StringWriter out = new StringWriter();
		factory.compile(template).execute(out, scope);
		return out.toString();
	}

}
