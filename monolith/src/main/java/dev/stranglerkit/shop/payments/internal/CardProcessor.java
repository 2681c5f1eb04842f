package dev.stranglerkit.shop.payments.internal;

import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * A simulated card processor following the well-known test-card convention: a card whose
 * number ends in 0002 is declined, any other is approved. Deterministic, so that every
 * deployment of the shop reaches the same outcome for the same order.
 */
@Component
class CardProcessor {

	static final String DECLINED_SUFFIX = "0002";

	/**
	 * @return empty if approved, otherwise why the card was declined
	 */
	Optional<String> decline(String cardLast4) {
		return DECLINED_SUFFIX.equals(cardLast4) ? Optional.of("Card declined by the issuer") : Optional.empty();
	}

}
