package dev.stranglerkit.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.stranglerkit.control.Credential;
import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.PrometheusText;
import dev.stranglerkit.control.Tls;

/**
 * {@code ./kit doctor}: whether this machine has what {@code ./kit up} and
 * {@code ./kit test} need, and whether a running landscape has orders stranded, each
 * problem printed with its fix.
 */
final class Doctor {

	private static final Pattern MAVEN = Pattern.compile("Apache Maven [0-9.]*");

	private final Path home;

	private final Map<String, String> env;

	private final Launcher launcher;

	private int problems;

	Doctor(Path home, Map<String, String> env, Launcher launcher) {
		this.home = home;
		this.env = env;
		this.launcher = launcher;
	}

	/**
	 * @return whether there is nothing to fix
	 */
	boolean check() {
		System.out.println("Strangler Kit doctor (" + this.home + ")");
		ok("JDK " + Runtime.version().feature() + " at " + System.getProperty("java.home"));
		Optional<String> maven = output("mvn", "-v").map(MAVEN::matcher).filter(Matcher::find).map(Matcher::group);
		maven.ifPresentOrElse(this::ok, () -> bad("no Maven: sudo apt-get install -y maven"));
		service("PostgreSQL", this.env.getOrDefault("SHOP_DB_HOST", "127.0.0.1"),
				this.env.getOrDefault("SHOP_DB_PORT", "5432"), "pg_ctlcluster",
				"pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", "postgresql", "postgres");
		service("RabbitMQ", this.env.getOrDefault("SHOP_RABBIT_HOST", "127.0.0.1"),
				this.env.getOrDefault("SHOP_RABBIT_PORT", "5672"), "rabbitmq-server", "rabbitmq-server -detached",
				"rabbitmq-server", "rabbitmq");
		Landscape.PORTS.forEach((app, port) -> {
			if (!Launcher.portInUse(port)) {
				ok("port " + port + " free (" + app + ")");
				return;
			}
			this.launcher.running(app)
				.ifPresentOrElse(
						(process) -> ok(
								"port " + port + ": " + app + " of the kit is running (pid " + process.pid() + ")"),
						() -> bad("port " + port + " (" + app + ") is taken by another process: ss -ltnp 'sport = :"
								+ port + "' shows which; stop it or free the port"));
		});
		if (onPath("setsid")) {
			ok("setsid (applications survive the terminal)");
		}
		else {
			bad("no setsid: sudo apt-get install -y util-linux");
		}
		strandedOrders();
		replicationSlots();
		leftovers();
		if (this.problems == 0) {
			System.out.println("Everything ./kit up and ./kit test need is here.");
			return true;
		}
		System.out.println(this.problems + " problem(s): each line above says how to fix it.");
		return false;
	}

	private void service(String name, String host, String port, String starter, String start, String aptPackage,
			String composeService) {
		if (Http.listening(URI.create("http://" + host + ":" + port))) {
			ok(name + " on " + host + ":" + port);
		}
		else if (onPath(starter)) {
			bad(name + " is stopped: ./kit up starts it (or: " + start + ")");
		}
		else {
			bad(name + " is not installed: sudo apt-get update && sudo apt-get install -y " + aptPackage
					+ " (or: docker compose up -d " + composeService + ")");
		}
	}

	/**
	 * Orders a running side has awaited a module's decision for from the other owner for
	 * longer than {@code kit.ownership.overdue-after}
	 * ({@code kit_ownership_overdue_decisions}): their decider is down, or their message
	 * is dead-lettered. Nothing else waits for them (the new owner keeps their stock
	 * back).
	 */
	private void strandedOrders() {
		for (String app : new String[] { Landscape.MONOLITH, "inventory-service" }) {
			URI metrics = Tls.local(Landscape.PORTS.get(app)).resolve("/actuator/prometheus");
			// (Prometheus' text format: the endpoint answers no JSON)
			String text = Http.get(metrics, Credential.ADMIN.current(), "text/plain")
				.filter((response) -> response.statusCode() == 200)
				.map((response) -> response.body())
				.orElse("");
			for (PrometheusText.Sample overdue : PrometheusText.parse(text)) {
				if (!overdue.name().equals("kit_ownership_overdue_decisions")) {
					continue;
				}
				String module = overdue.label("module");
				String decider = !app.equals(Landscape.MONOLITH) ? Landscape.MONOLITH
						: dev.stranglerkit.control.Cutover.SERVICES.get(module);
				long count = Math.round(overdue.value());
				if (count == 0) {
					ok(app + ": no " + module + " decision overdue");
					continue;
				}
				bad(app + ": " + count + " order(s) have waited too long for the " + module + " decision of the "
						+ decider + " (kit_ownership_overdue_decisions): if it is down, start it (./kit up " + decider
						+ ") and it decides them from its queue; if it runs, replay what was dead-lettered"
						+ " (./kit replay all). Later orders go on meanwhile");
			}
		}
	}

	/**
	 * The kit's slots (the CDC relays', a backfill's): each with how far its reader is
	 * behind; one that nothing reads keeps the write-ahead log until the disk is full.
	 */
	private void replicationSlots() {
		if (!Http.listening(URI.create("http://" + this.env.getOrDefault("SHOP_DB_HOST", "127.0.0.1") + ":"
				+ this.env.getOrDefault("SHOP_DB_PORT", "5432")))) {
			return;
		}
		for (ReplicationSlots.Slot slot : new ReplicationSlots(this.env).list()) {
			String described = "replication slot %s (database %s): %s behind, keeps %s of the write-ahead log"
				.formatted(slot.name(), slot.database(), ReplicationSlots.size(slot.behind()),
						ReplicationSlots.size(slot.retained()));
			if (slot.active()) {
				ok(described + ", read by " + (slot.backfill() ? "an extracted service's backfill"
						: "the CDC relay of " + slot.application()));
			}
			else if (slot.backfill()) {
				bad(described + ", and nothing reads it: a backfill that has not ended; the service resumes it when it "
						+ "starts, ./kit down --clean drops it (the backfill then starts over)");
			}
			else if (this.launcher.running(slot.application()).isPresent()) {
				bad(described + ", and nothing reads it: " + slot.application()
						+ " runs without the CDC relay (./kit down --clean drops the slot once it is stopped)");
			}
			else {
				bad(described + ", and nothing reads it: " + slot.application()
						+ " is stopped; the slot keeps the log until the disk is full. ./kit up --relay cdc resumes"
						+ " it; ./kit down --clean drops it");
			}
		}
	}

	/**
	 * With the monolith stopped: orders an earlier run left unfinished in its database,
	 * which a new run would inherit (their decisions never come; a comparison of
	 * deployments finds orders that never end).
	 */
	private void leftovers() {
		if (this.launcher.running(Landscape.MONOLITH).isPresent()) {
			return;
		}
		String database = DatabaseTls.databases(this.env).get(Landscape.MONOLITH);
		try (java.sql.Connection connection = OperatorDatabase.connect(this.env, database);
				java.sql.ResultSet rows = connection.createStatement()
					.executeQuery("SELECT count(*) FROM orders.orders WHERE status = 'PENDING'")) {
			rows.next();
			long pending = rows.getLong(1);
			if (pending > 0) {
				bad("the database " + database + " holds " + pending + " order(s) an earlier run left unfinished "
						+ "(PENDING), which a new run would inherit: ./kit reset starts clean (it asks first)");
			}
			else {
				ok("the database " + database + " holds no unfinished order");
			}
		}
		catch (java.sql.SQLException ex) {
			// no database or no orders table yet: nothing left over
		}
	}

	private void ok(String line) {
		System.out.println("  \033[32mok\033[0m   " + line);
	}

	private void bad(String line) {
		System.out.println("  \033[31mfix\033[0m  " + line);
		this.problems++;
	}

	private static boolean onPath(String command) {
		for (String folder : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			if (Files.isExecutable(Path.of(folder, command))) {
				return true;
			}
		}
		return false;
	}

	/** What a command prints, when it runs and succeeds. */
	private static Optional<String> output(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			return (process.waitFor() == 0) ? Optional.of(out) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

}
