package dev.stranglerkit.messaging;

import dev.stranglerkit.messaging.MessagingTestApplication.ThingHappened;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.modulith.events.core.EventSerializer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry stores events with the kit's serializer, and reads back what it wrote.
 */
@SpringBootTest
class JsonEventSerializerTests {

	final EventSerializer serializer;

	JsonEventSerializerTests(EventSerializer serializer) {
		this.serializer = serializer;
	}

	@Test
	void theRegistrysSerializerIsTheKitsAndReadsBackWhatItWrote() {
		ThingHappened event = new ThingHappened("stored");

		Object stored = this.serializer.serialize(event);

		assertThat(this.serializer).isInstanceOf(JsonEventSerializer.class);
		assertThat(stored).isInstanceOf(String.class).asString().contains("\"name\":\"stored\"");
		assertThat(this.serializer.deserialize(stored, ThingHappened.class)).isEqualTo(event);
	}

}
