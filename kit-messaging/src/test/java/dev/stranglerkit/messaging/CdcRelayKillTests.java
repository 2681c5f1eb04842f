package dev.stranglerkit.messaging;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.amqp.core.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The CDC relay's process killed (SIGKILL) while it relays a stream of events: after a
 * restart every event whose transaction committed arrives, none is lost (some may come
 * twice, which consumers absorb).
 */
class CdcRelayKillTests {

	static final String SLOT = "kit_outbox_cdc_kill_tests";

	static final Rabbit rabbit = new Rabbit();

	static final java.util.regex.Pattern EVENT_ID = java.util.regex.Pattern.compile("\"eventId\":\"([^\"]+)\"");

	@AfterAll
	static void dropSlot() {
		rabbit.close();
		CdcSlots.drop(SLOT);
	}

	@Test
	void deliversEveryCommittedEventAfterTheRelaysProcessWasKilledMidStream() throws Exception {
		rabbit.purge(OutboxRelayTests.TAP);
		Set<String> committed = ConcurrentHashMap.newKeySet();
		Set<String> arrived = ConcurrentHashMap.newKeySet();

		Process first = start("publish=2000", committed);
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> {
				receive(arrived);
				return arrived.size() >= 100;
			});
		}
		finally {
			first.destroyForcibly().waitFor();
		}
		assertThat(committed).as("killed while the relay was still sending committed events")
			.hasSizeGreaterThan(arrived.size());
		assertThat(incompleteAfterTheKill(committed)).as("committed publications the killed relay had not completed")
			.isPositive();

		Process second = start("publish=0", ConcurrentHashMap.newKeySet());
		try {
			await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
				receive(arrived);
				assertThat(arrived).containsAll(committed);
			});
		}
		finally {
			second.destroy();
			second.waitFor();
		}
	}

	/** how many of these events' publications are still incomplete */
	private static long incompleteAfterTheKill(Set<String> events) throws java.sql.SQLException {
		long incomplete = 0;
		try (java.sql.Connection connection = CdcSlots.connect();
				java.sql.PreparedStatement query = connection.prepareStatement(
						"SELECT serialized_event FROM event_publication WHERE listener_id = ? AND completion_date IS NULL")) {
			query.setString(1, CdcRelay.LISTENER_ID);
			try (java.sql.ResultSet rows = query.executeQuery()) {
				while (rows.next()) {
					java.util.regex.Matcher id = EVENT_ID.matcher(rows.getString(1));
					incomplete += (id.find() && events.contains(id.group(1))) ? 1 : 0;
				}
			}
		}
		return incomplete;
	}

	/**
	 * Takes what is in the tap now, at most a few dozen messages (the stream goes on).
	 */
	private static void receive(Set<String> arrived) {
		for (int i = 0; i < 50; i++) {
			Message message = rabbit.poll(OutboxRelayTests.TAP);
			if (message == null) {
				return;
			}
			arrived.add(message.getMessageProperties().getMessageId());
		}
	}

	/** Starts the relay's process and waits until it has started. */
	private static Process start(String argument, Set<String> committed) throws IOException {
		Path java = Path.of(System.getProperty("java.home"), "bin", "java");
		Process process = new ProcessBuilder(List.of(java.toString(), "-cp", System.getProperty("java.class.path"),
				CdcRelayProcess.class.getName(), argument))
			.redirectErrorStream(true)
			.start();
		Set<Boolean> started = ConcurrentHashMap.newKeySet();
		Thread.ofVirtual().start(() -> {
			try (BufferedReader output = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					if (line.startsWith("committed ")) {
						committed.add(line.substring("committed ".length()));
					}
					else if (line.equals("started")) {
						started.add(true);
					}
				}
			}
			catch (IOException ex) {
				// the process was killed
			}
		});
		try {
			await().atMost(Duration.ofSeconds(60)).until(() -> !started.isEmpty() || !process.isAlive());
			assertThat(process.isAlive()).as("the relay's process started").isTrue();
		}
		catch (RuntimeException | AssertionError ex) {
			process.destroyForcibly();
			throw ex;
		}
		return process;
	}

}
