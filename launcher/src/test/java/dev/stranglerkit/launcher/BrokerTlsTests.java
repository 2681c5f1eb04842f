package dev.stranglerkit.launcher;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BrokerTlsTests {

	static final Path dir = Path.of("/etc/rabbitmq/strangler-kit");

	@Test
	void addsTheTlsListenerOnceAndKeepsTheRestOfTheConfiguration() {
		String conf = "listeners.tcp.local = 127.0.0.1:5672\n";
		String once = BrokerTls.withBlock(conf, dir);
		assertThat(once).startsWith(conf)
			.contains("listeners.ssl.default = 127.0.0.1:5671\n")
			.contains("ssl_options.cacertfile = /etc/rabbitmq/strangler-kit/ca.crt\n")
			.contains("ssl_options.verify = verify_peer\n")
			.contains("ssl_options.fail_if_no_peer_cert = true\n");
		assertThat(BrokerTls.withBlock(once, dir)).isEqualTo(once);
	}

	@Test
	void replacesAnOlderBlockInPlace() {
		String conf = "a = 1\n# >>> strangler-kit: TLS for ./kit up --mtls\nlisteners.ssl.default = 5671\n"
				+ "# <<< strangler-kit\nb = 2";
		String updated = BrokerTls.withBlock(conf, dir);
		assertThat(updated).startsWith("a = 1\n# >>> strangler-kit").endsWith("# <<< strangler-kit\nb = 2");
		assertThat(updated).doesNotContain("listeners.ssl.default = 5671\n").containsOnlyOnce("# >>> strangler-kit");
	}

}
