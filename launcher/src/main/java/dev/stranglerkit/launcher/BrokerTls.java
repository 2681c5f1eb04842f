package dev.stranglerkit.launcher;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import dev.stranglerkit.control.Http;

/**
 * The local RabbitMQ with TLS for a landscape with mutual TLS: a second listener, on
 * 127.0.0.1:{@value #PORT}, with the broker's own certificate of the kit's CA (identity
 * {@code rabbitmq}) and a client certificate of that CA needed from every peer; each
 * application connects there with its own certificate, beside its own broker user. The
 * plaintext listener (5672) stays, on the loopback interface, for the tools and tests
 * that use it. Configured in {@code /etc/rabbitmq/rabbitmq.conf} (a block between
 * markers, written once, the files beside it in {@code /etc/rabbitmq/strangler-kit/}),
 * which the broker reads when it starts: so the first {@code ./kit up --mtls} on a
 * machine restarts RabbitMQ. New certificate files (a rotation, another CA) need no
 * restart: the broker forgets the files it cached, and new connections get the new ones.
 */
final class BrokerTls {

	/** the broker's TLS port */
	static final int PORT = 5671;

	/** the broker's identity, which its certificate names */
	static final String IDENTITY = "rabbitmq";

	static final String BEGIN = "# >>> strangler-kit: TLS for ./kit up --mtls";

	static final String END = "# <<< strangler-kit";

	private final Path etc;

	private final Consumer<String> out;

	BrokerTls(Path etc, Consumer<String> out) {
		this.etc = etc;
		this.out = out;
	}

	/** The local broker ({@code /etc/rabbitmq}). */
	BrokerTls(Consumer<String> out) {
		this(Path.of("/etc/rabbitmq"), out);
	}

	/**
	 * Has the broker listen with TLS on {@value #PORT}, with the CA's and the broker's
	 * certificates from the folder, restarting it when that changed anything.
	 * @throws LaunchException when the broker cannot be configured here
	 */
	void ensure(Pki pki) {
		Path conf = this.etc.resolve("rabbitmq.conf");
		Path dir = this.etc.resolve("strangler-kit");
		try {
			if (!Files.isDirectory(this.etc)) {
				throw new LaunchException("--mtls needs the local RabbitMQ's configuration in " + this.etc
						+ " (RabbitMQ from Debian's package), to add a TLS listener on " + PORT);
			}
			boolean renewed = copy(pki.caCertificate(), dir.resolve("ca.crt"))
					| copy(pki.certificate(IDENTITY), dir.resolve(IDENTITY + ".crt"))
					| copy(pki.privateKey(IDENTITY), dir.resolve(IDENTITY + ".key"));
			String current = Files.isRegularFile(conf) ? Files.readString(conf) : "";
			String wanted = withBlock(current, dir);
			boolean configured = wanted.equals(current);
			if (!configured) {
				Files.writeString(conf, wanted);
			}
			if (!configured || !Http.listening(URI.create("tcp://127.0.0.1:" + PORT))) {
				restart();
			}
			else if (renewed) {
				// Erlang's TLS caches the files it read: new connections read them again
				Chaos.run("rabbitmqctl", "eval", "ssl:clear_pem_cache().");
			}
		}
		catch (IOException ex) {
			throw new LaunchException("could not configure RabbitMQ's TLS listener in " + this.etc + ": " + ex);
		}
	}

	/** the configuration with the kit's block, in place of any it had */
	static String withBlock(String conf, Path dir) {
		String block = String.join("\n", BEGIN, "listeners.ssl.default = 127.0.0.1:" + PORT,
				"ssl_options.cacertfile = " + dir.resolve("ca.crt"),
				"ssl_options.certfile = " + dir.resolve(IDENTITY + ".crt"),
				"ssl_options.keyfile = " + dir.resolve(IDENTITY + ".key"), "ssl_options.verify = verify_peer",
				"ssl_options.fail_if_no_peer_cert = true", END) + "\n";
		int begin = conf.indexOf(BEGIN);
		if (begin < 0) {
			return conf + ((conf.isEmpty() || conf.endsWith("\n")) ? "" : "\n") + block;
		}
		return conf.substring(0, begin) + block + withoutBlock(conf).substring(begin);
	}

	/**
	 * @return the configuration file without the kit's block (between its markers, the
	 * kit's TLS for {@code --mtls}), as it was before the kit wrote it
	 */
	static String withoutBlock(String conf) {
		int begin = conf.indexOf(BEGIN);
		if (begin < 0) {
			return conf;
		}
		int end = conf.indexOf(END, begin);
		int after = (end < 0) ? conf.length() : conf.indexOf('\n', end) + 1;
		return conf.substring(0, begin) + conf.substring((after <= 0) ? conf.length() : after);
	}

	/** copies when the target differs; only RabbitMQ's user may read the key */
	private static boolean copy(Path from, Path to) throws IOException {
		if (Files.isRegularFile(to) && Files.mismatch(from, to) == -1) {
			return false;
		}
		Files.createDirectories(to.getParent());
		Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
		Files.setPosixFilePermissions(to,
				PosixFilePermissions.fromString(to.toString().endsWith(".key") ? "rw-------" : "rw-r--r--"));
		Chaos.run("chown", "rabbitmq:rabbitmq", to.toString());
		return true;
	}

	/**
	 * Restarts the broker so that it reads its configuration again: through systemd when
	 * it runs the broker, else as a detached node, as {@code ./kit} starts it.
	 */
	private void restart() {
		this.out.accept("Restarting RabbitMQ with a TLS listener on 127.0.0.1:" + PORT + " (the kit's CA)");
		if (Files.isDirectory(Path.of("/run/systemd/system"))) {
			Chaos.run("systemctl", "restart", "rabbitmq-server");
		}
		else {
			Chaos.run("rabbitmqctl", "stop");
			Chaos.run("rabbitmq-server", "-detached");
		}
		for (int port : List.of(5672, PORT)) {
			Poll.await(Duration.ofSeconds(90), Duration.ofMillis(500),
					() -> Http.listening(URI.create("tcp://127.0.0.1:" + port)),
					() -> "RabbitMQ did not listen on 127.0.0.1:" + port + " within 90 s after its restart: see"
							+ " /var/log/rabbitmq/");
		}
		// the node answers once its applications have started
		Chaos.run("rabbitmqctl", "await_startup");
	}

}
