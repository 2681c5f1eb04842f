package dev.stranglerkit.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands of {@code ./kit} around the landscape rather than in it: its logs, the
 * build, the tests, the benchmarks, the monolith alone and the doctor. Each hands its
 * work to the tool that does it (Maven, {@code tail}, a benchmark's script) in this
 * terminal.
 */
final class Tools {

	private Tools() {
	}

	@Command(name = "logs", description = "follow an application's log (.kit/logs/<app>.log)")
	static final class Logs extends Kit.KitCommand {

		@Parameters(paramLabel = "<app>", description = "the application")
		String app;

		@Override
		public Integer call() {
			Path log = this.kit.state().resolve("logs").resolve(this.app + ".log");
			if (!Files.isRegularFile(log)) {
				throw new LaunchException("no log for '" + this.app + "' yet (" + log + "): has ./kit up started it?");
			}
			return this.kit.exec(List.of("tail", "-n", "200", "-F", log.toString()));
		}

	}

	@Command(name = "certs", customSynopsis = { "./kit certs", "       ./kit certs rotate" },
			description = "the kit's own CA (made on first use) and one certificate per application, whose name is "
					+ "its identity (spiffe://strangler-kit/<app>), in .kit/pki: issues those missing or expired "
					+ "(valid 30 days), and the operators' (operator: ./kit and the tests); rotate: issues new ones for every identity (same CA). ./kit up --mtls uses them; a running landscape takes rotated ones without a restart")
	static final class Certs extends Kit.KitCommand {

		@Parameters(paramLabel = "rotate", arity = "0..1",
				description = "issue a new certificate for every application")
		String rotate;

		@Override
		public Integer call() {
			if (this.rotate != null && !this.rotate.equals("rotate")) {
				throw new LaunchException("unknown argument '" + this.rotate + "': ./kit certs, or ./kit certs rotate");
			}
			Mtls mtls = new Mtls(this.kit.state());
			Pki pki = mtls.pki();
			if (this.rotate != null) {
				mtls.rotate(this.kit.env);
			}
			for (String app : Mtls.identities()) {
				boolean issued = (this.rotate != null) || pki.ensure(app, Mtls.VALIDITY);
				System.out.printf("%-22s %s %s%n", app, issued ? "issued " : "valid  ", Pki.identity(app));
			}
			System.out.println("CA and certificates (PEM): " + pki.dir());
			return 0;
		}

	}

	@Command(name = "build", description = "build every application (tests skipped)")
	static final class Build extends Kit.KitCommand {

		@Override
		public Integer call() {
			Kit.say("Building with " + System.getProperty("java.home"));
			return this.kit.exec(List.of("mvn", "-B", "-ntp", "-q", "package", "-DskipTests"));
		}

	}

	@Command(name = "run",
			description = "build if needed and run the monolith alone in the foreground (port 8081, Ctrl-C stops it)")
	static final class Run extends Kit.KitCommand {

		@Parameters(paramLabel = "monolith", arity = "0..1", description = "the application (only the monolith)")
		String app = Landscape.MONOLITH;

		@Override
		public Integer call() {
			if (!this.app.equals(Landscape.MONOLITH)) {
				throw new LaunchException("unknown application '" + this.app
						+ "' (./kit run starts the monolith alone; ./kit up starts the landscape)");
			}
			App monolith = this.kit.landscape().app(this.app);
			Kit.say("Starting " + this.app + " on " + monolith.url() + " (Ctrl-C stops it)");
			return this.kit.exec(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
					monolith.jar().toString()));
		}

	}

	@Command(name = "test",
			description = "run every test: mvn clean verify with a JDK 21+ (extra arguments go to Maven)")
	static final class Test extends Kit.KitCommand {

		@Parameters(paramLabel = "args", arity = "0..*", description = "Maven's arguments, -Dtest=... for example")
		List<String> mavenArgs = new ArrayList<>();

		@Override
		public Integer call() {
			Kit.say("Building and testing with " + System.getProperty("java.home"));
			return this.kit.exec(Kit.concat(List.of("mvn", "-B", "-ntp", "clean", "verify"), this.mavenArgs));
		}

	}

	@Command(name = "arch",
			description = "run the architecture tests alone (module boundaries, services' independence)")
	static final class Arch extends Kit.KitCommand {

		/**
		 * surefire's line for a test class that ran, and the class's name under the kit's
		 * package
		 */
		private static final Pattern PASSED = Pattern
			.compile(".*Tests run: ([1-9]\\d*), Failures: 0, Errors: 0.* -- in dev\\.stranglerkit\\.(.*)");

		@Override
		public Integer call() throws IOException, InterruptedException {
			Kit.say("Architecture tests of the monolith and the extracted services");
			Process maven = new ProcessBuilder("mvn", "-B", "-ntp", "test", "-pl",
					"monolith,extracted-services/notification-service,extracted-services/inventory-service", "-am",
					"-Dtest=ModularityTests,ArchitectureTests*", "-Dsurefire.failIfNoSpecifiedTests=false")
				.directory(this.kit.home.toFile())
				.redirectErrorStream(true)
				.start();
			List<String> out = new String(maven.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
				.toList();
			if (maven.waitFor() != 0) {
				out.stream()
					.filter((line) -> line.matches(".*(ERROR|FAIL|Architecture Violation|was violated).*"))
					.limit(40)
					.forEach(System.err::println);
				throw new LaunchException("an architecture rule is broken (above)");
			}
			for (String line : out) {
				Matcher passed = PASSED.matcher(line);
				if (passed.matches()) {
					System.out.printf("  ok  %s (%s checks)%n", passed.group(2), passed.group(1));
				}
			}
			return 0;
		}

	}

	@Command(name = "bench",
			customSynopsis = { "./kit bench outbox [seconds] [threads] [rate]", "       ./kit bench gateway",
					"       ./kit bench drain [outage-seconds] [rate]", "       ./kit bench landscape [lever...]",
					"       ./kit bench fresh-machine [trixie|bookworm]" },
			description = "outbox: the outbox's events/s and latency beside PostgreSQL's and RabbitMQ's limits. "
					+ "gateway: the gateway beside a bare Spring Cloud Gateway, nginx and the bare backend (wrk). "
					+ "drain: orders placed while "
					+ "RabbitMQ is stopped (default 60 s at 10/s), and how fast they end once it is back (orders/s), "
					+ "beside the sustained saga rate. landscape: start-up time and memory of each application and in all, "
					+ "before and after, first and warm start, per start-up lever (default: plain, aot, c1, kit). "
					+ "fresh-machine: the README's commands in a minimal Debian made with debootstrap, in namespaces of "
					+ "its own (as root), timed from nothing to a running landscape. "
					+ "Benchmarks run on demand, not in ./kit test; they write " + "benchmarks/results/")
	static final class Bench extends Kit.KitCommand {

		@Parameters(index = "0", paramLabel = "<benchmark>",
				description = "outbox, gateway, drain, landscape, instances or fresh-machine")
		String name;

		@Parameters(index = "1..*", paramLabel = "args", arity = "0..*", description = "the benchmark's own")
		List<String> args = new ArrayList<>();

		@Override
		public Integer call() {
			Path script = this.kit.home.resolve("benchmarks").resolve(this.name).resolve("run.sh");
			if (!Files.isExecutable(script)) {
				throw new LaunchException("unknown benchmark '" + this.name
						+ "' (outbox, gateway, drain, landscape, instances, fresh-machine)");
			}
			return this.kit.exec(Kit.concat(List.of(script.toString()), this.args));
		}

	}

	@Command(name = "reset",
			description = "back to a clean start, after a confirmation: stops the landscape, drops its CDC slots, "
					+ "drops and re-creates its databases, deletes its queues, empties .kit/run, logs and config, "
					+ "and puts config-repo back as committed (certificates, broker passwords, AOT caches and "
					+ "reports stay)")
	static final class ResetCommand extends Kit.KitCommand {

		@Option(names = "--yes", description = "do not ask for the confirmation")
		boolean yes;

		@Override
		public Integer call() throws IOException {
			Landscape landscape = this.kit.landscape();
			Reset reset = new Reset(this.kit.home, landscape.configRepo(), this.kit.state(), this.kit.env,
					System.out::println);
			System.out.println("./kit reset will:");
			reset.plan().forEach((step) -> System.out.println("  - " + step));
			if (!this.yes) {
				System.out.print("Type 'reset' to go on: ");
				System.out.flush();
				String answer = new java.io.BufferedReader(new java.io.InputStreamReader(System.in)).readLine();
				if (answer == null || !answer.strip().equals("reset")) {
					System.out.println("Nothing changed.");
					return 1;
				}
			}
			reset.apply(this.kit.launcher());
			System.out.println("Clean: ./kit up starts the landscape from empty databases.");
			return 0;
		}

	}

	@Command(name = "doctor",
			description = "check the JDK, PostgreSQL, RabbitMQ and the ports, and for orders a running landscape "
					+ "has left without a decision (stranded), with the fix for each problem")
	static final class DoctorCommand extends Kit.KitCommand {

		@Override
		public Integer call() {
			return new Doctor(this.kit.home, this.kit.env, this.kit.launcher()).check() ? 0 : 1;
		}

	}

}
