package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Faster starts with the JDK's ahead-of-time cache (JDK 25, JEP 514 and 515): an
 * application's classes, loaded and linked, and its method profiles, recorded in one run
 * and reused by the next. Six JVMs share two cores here, so start-up is what a user waits
 * for.
 * <p>
 * The cache only covers classes loaded from plain jar files, so the launcher runs each
 * Spring Boot jar extracted ({@code java -Djarmode=tools -jar app.jar extract}, into
 * {@code .kit/apps/<app>/}). The first start records ({@code -XX:AOTCacheOutput}); the
 * JVM writes the cache when the application stops gracefully ({@code ./kit down}); later
 * starts use it ({@code -XX:AOTCache}). A rebuilt jar is extracted again and records a
 * new cache. On a JDK before 25, or with {@code KIT_AOT=off}, applications run as plain
 * {@code java -jar}.
 */
final class AotCache {

	private final Path folder;

	/**
	 * @param folder where the extracted jars and their caches are kept
	 * ({@code .kit/apps/})
	 */
	AotCache(Path folder) {
		this.folder = folder;
	}

	static boolean supported() {
		return Runtime.version().feature() >= 25 && !"off".equalsIgnoreCase(System.getenv("KIT_AOT"));
	}

	/**
	 * @return the JVM arguments that run the application: the cache option and
	 * {@code -jar} with the extracted jar
	 */
	List<String> launch(App app) throws IOException {
		Path extracted = this.folder.resolve(app.name());
		Path jar = extracted.resolve(app.jar().getFileName());
		Path cache = this.folder.resolve(app.name() + ".aot");
		if (!Files.exists(jar) || Files.getLastModifiedTime(jar).compareTo(Files.getLastModifiedTime(app.jar())) < 0) {
			delete(extracted);
			Files.deleteIfExists(cache);
			extract(app.jar(), extracted);
			Files.setLastModifiedTime(jar, Files.getLastModifiedTime(app.jar()));
		}
		List<String> arguments = new ArrayList<>();
		if (Files.exists(cache)) {
			arguments.add("-XX:AOTCache=" + cache);
		}
		else if (app.id().equals(app.name())) {
			arguments.add("-XX:AOTCacheOutput=" + cache);
		}
		// (a further instance of an application records nothing: two JVMs would write one
		// cache)
		// the cache is an optimisation: never a reason for an application not to start
		arguments.add("-Xlog:aot=off");
		arguments.add("-Xlog:cds=off");
		arguments.add("-jar");
		arguments.add(jar.toString());
		return arguments;
	}

	private static void delete(Path folder) throws IOException {
		if (Files.exists(folder)) {
			try (Stream<Path> files = Files.walk(folder)) {
				for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
					Files.delete(file);
				}
			}
		}
	}

	private static void extract(Path jar, Path destination) throws IOException {
		Files.createDirectories(destination.getParent());
		Process extraction = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
				"-Djarmode=tools", "-jar", jar.toString(), "extract", "--destination", destination.toString())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		try {
			if (!extraction.waitFor(120, TimeUnit.SECONDS) || extraction.exitValue() != 0) {
				extraction.destroyForcibly();
				throw new IOException("could not extract " + jar + " for the AOT cache (KIT_AOT=off runs without it)");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("interrupted while extracting " + jar);
		}
	}

}
