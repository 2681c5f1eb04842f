package dev.stranglerkit.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code ./kit reset}: the local landscape back to a clean start, for a machine where the
 * kit ran before and left what would make a new run's outcome depend on the old one
 * (orders that never ended, stock used up, events queued for a service, handoffs in
 * config-repo). It stops the landscape, drops what nothing reads any more (the CDC
 * relays' replication slots), drops and re-creates the landscape's databases, deletes its
 * queues, empties the state folder's run, logs and last-known configuration, and puts
 * config-repo back as committed. It keeps what is not the run's: the certificates
 * ({@code .kit/pki}), the broker users' passwords, the applications' AOT caches, and the
 * reports of {@code ./kit compare} and {@code ./kit chaos}.
 */
final class Reset {

	/**
	 * the landscape's consumer queues (config-repo/application.yml) and their companions
	 */
	static final List<String> QUEUES = List.of("monolith", "inventory-service", "notification-service");

	static final List<String> QUEUE_SUFFIXES = List.of("", ".dlq", ".wait", ".retry");

	/** what the state folder holds of a run */
	static final List<String> STATE = List.of("run", "logs", "config");

	private final Path home;

	private final Path configRepo;

	private final Path state;

	private final Map<String, String> env;

	private final Consumer<String> out;

	Reset(Path home, Path configRepo, Path state, Map<String, String> env, Consumer<String> out) {
		this.home = home;
		this.configRepo = configRepo;
		this.state = state;
		this.env = env;
		this.out = out;
	}

	/**
	 * @return what a reset removes, a line each, for the confirmation
	 */
	List<String> plan() {
		List<String> plan = new ArrayList<>();
		plan.add("stop every application of the kit");
		plan.add("drop the CDC relays' replication slots that nothing reads");
		plan.add("drop and re-create the databases " + String.join(", ", databases()) + " (every order, stock "
				+ "level, notification and outbox in them)");
		plan.add("delete the queues " + String.join(", ", QUEUES) + " (and their .dlq, .wait, .retry) in RabbitMQ's "
				+ "virtual host " + vhost());
		plan.add("empty "
				+ String.join(", ", STATE.stream().map((folder) -> relative(this.state.resolve(folder)) + "/").toList())
				+ " (certificates, broker passwords, AOT caches and compare/chaos reports stay)");
		List<String> changed = configRepoChanges();
		plan.add(changed.isEmpty() ? relative(this.configRepo) + "/ has no change to undo"
				: "put " + relative(this.configRepo) + "/ back as committed, undoing: " + String.join(", ", changed));
		return plan;
	}

	/** Resets; each step says what it did. */
	void apply(Launcher launcher) {
		List<String> stopped = launcher.down();
		this.out.accept(stopped.isEmpty() ? "nothing of the kit was running" : "stopped " + String.join(", ", stopped));
		new Mtls(this.state).stopped();
		Relay.stopped(this.state);
		new ReplicationSlots(this.env).dropUnread()
			.forEach((slot) -> this.out.accept("dropped the replication slot " + slot.name()));
		try (Connection admin = OperatorDatabase.connect(this.env, "postgres");
				Statement statement = admin.createStatement()) {
			for (String database : databases()) {
				statement.execute("DROP DATABASE IF EXISTS \"" + database + "\" WITH (FORCE)");
				statement.execute("CREATE DATABASE \"" + database + "\"");
				this.out.accept("database " + database + ": empty");
			}
		}
		catch (SQLException ex) {
			throw new LaunchException("could not re-create the landscape's databases: " + ex.getMessage());
		}
		for (String queue : QUEUES) {
			for (String suffix : QUEUE_SUFFIXES) {
				try {
					Chaos.run("rabbitmqctl", "-q", "delete_queue", "-p", vhost(), queue + suffix);
				}
				catch (LaunchException ex) {
					// not there (never declared): nothing to delete
				}
			}
		}
		this.out.accept("queues of " + String.join(", ", QUEUES) + ": deleted");
		for (String folder : STATE) {
			delete(this.state.resolve(folder));
		}
		this.out.accept(relative(this.state) + "/: " + String.join(", ", STATE) + " emptied");
		if (!configRepoChanges().isEmpty()) {
			git("restore", "--source=HEAD", "--staged", "--worktree", "--", this.configRepo.toString());
			git("clean", "-fdq", "--", this.configRepo.toString());
			this.out.accept(relative(this.configRepo) + "/: back as committed");
		}
	}

	/**
	 * @return config-repo's files that differ from what is committed (git status), or
	 * nothing when config-repo is not in a git working copy
	 */
	List<String> configRepoChanges() {
		if (!Files.isDirectory(this.configRepo)) {
			return List.of();
		}
		try {
			Process git = new ProcessBuilder("git", "-C", this.configRepo.toString(), "status", "--porcelain", "--",
					".")
				.redirectErrorStream(false)
				.start();
			String status = new String(git.getInputStream().readAllBytes());
			if (git.waitFor() != 0) {
				return List.of();
			}
			return status.lines().filter((line) -> line.length() > 3).map((line) -> line.substring(3)).toList();
		}
		catch (IOException ex) {
			return List.of();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return List.of();
		}
	}

	private static void delete(Path folder) {
		if (!Files.exists(folder)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(folder)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void git(String... arguments) {
		List<String> command = new ArrayList<>(List.of("git", "-C", this.configRepo.toString()));
		command.addAll(List.of(arguments));
		Chaos.run(command.toArray(String[]::new));
	}

	private List<String> databases() {
		return List.copyOf(DatabaseTls.databases(this.env).values());
	}

	private String vhost() {
		return this.env.getOrDefault("SPRING_RABBITMQ_VIRTUAL_HOST", "/");
	}

	private String relative(Path path) {
		return path.startsWith(this.home) ? this.home.relativize(path).toString() : path.toString();
	}

}
