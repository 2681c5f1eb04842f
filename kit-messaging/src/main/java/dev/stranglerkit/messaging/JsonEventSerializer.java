package dev.stranglerkit.messaging;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.modulith.events.core.EventSerializer;

/**
 * Stores events in the event publication registry as JSON, exactly as Spring Modulith's
 * own Jackson serializer does, with one {@link JsonMapper} held instead of looked up in
 * the application context for every event.
 */
final class JsonEventSerializer implements EventSerializer {

	private final JsonMapper json;

	JsonEventSerializer(JsonMapper json) {
		this.json = json;
	}

	@Override
	public Object serialize(Object event) {
		return this.json.writeValueAsString(event);
	}

	@Override
	public <T> T deserialize(Object serialized, Class<T> type) {
		return this.json.readerFor(type).readValue(serialized.toString());
	}

}
