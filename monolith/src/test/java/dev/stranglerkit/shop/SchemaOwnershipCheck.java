package dev.stranglerkit.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Schema ownership: a module's SQL (the string literals of its Java sources that contain
 * an SQL keyword, so that a message type such as {@code "inventory.StockShortage"} is not
 * taken for a table) and its Flyway migrations name no schema but its own. The schemas
 * are the modules' names, so a module that reads another's table, even in a migration, is
 * caught before it becomes a hidden coupling.
 */
final class SchemaOwnershipCheck {

	private static final Pattern STRING_LITERAL = Pattern.compile("\"\"\"(.*?)\"\"\"|\"((?:[^\"\\\\\\n]|\\\\.)*)\"",
			Pattern.DOTALL);

	private static final Pattern SQL = Pattern.compile(
			"\\b(SELECT|INSERT|UPDATE|DELETE|FROM|JOIN|INTO|TABLE|VIEW|SCHEMA|REFERENCES)\\b",
			Pattern.CASE_INSENSITIVE);

	private final Path sources;

	private final Path migrations;

	private final List<String> modules;

	private SchemaOwnershipCheck(Path sources, Path migrations, List<String> modules) {
		this.sources = sources;
		this.migrations = migrations;
		this.modules = modules;
	}

	static SchemaOwnershipCheck of(String basePackage, Path sourceRoot, Path migrationRoot) {
		Path sources = sourceRoot.resolve(basePackage.replace('.', '/'));
		try (Stream<Path> children = Files.list(sources)) {
			List<String> modules = children.filter(Files::isDirectory)
				.map((dir) -> dir.getFileName().toString())
				.sorted()
				.toList();
			if (modules.isEmpty()) {
				throw new IllegalStateException("No modules under " + sources.toAbsolutePath());
			}
			return new SchemaOwnershipCheck(sources, migrationRoot, modules);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	List<String> violations() {
		List<String> violations = new ArrayList<>();
		for (String module : this.modules) {
			for (Path source : filesUnder(this.sources.resolve(module), ".java")) {
				Matcher literal = STRING_LITERAL.matcher(read(source));
				while (literal.find()) {
					String text = (literal.group(1) != null) ? literal.group(1) : literal.group(2);
					if (SQL.matcher(text).find()) {
						violations.addAll(foreignSchemas(module, source, text));
					}
				}
			}
			for (Path migration : filesUnder(this.migrations.resolve(module), ".sql")) {
				String sql = read(migration).replaceAll("--[^\\n]*", "");
				violations.addAll(foreignSchemas(module, migration, sql));
			}
		}
		return violations;
	}

	private List<String> foreignSchemas(String module, Path file, String text) {
		List<String> found = new ArrayList<>();
		for (String other : this.modules) {
			if (other.equals(module)) {
				continue;
			}
			Matcher reference = Pattern.compile("(?<![\\w.$])" + Pattern.quote(other) + "\\s*\\.\\s*\"?\\w+")
				.matcher(text);
			while (reference.find()) {
				found.add("%s (module %s) names schema %s: %s".formatted(file, module, other, reference.group()));
			}
		}
		return found;
	}

	private static List<Path> filesUnder(Path dir, String suffix) {
		if (!Files.isDirectory(dir)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter((file) -> file.toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String read(Path file) {
		try {
			return Files.readString(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
