package dev.stranglerkit.shop.orders.internal;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code shop.saga} (config-repo/monolith.yml): the style new orders' sagas follow, and
 * how long the orchestrator waits for the answer to a command. A bean that a refresh
 * rebinds: a switch applies to the orders placed after it, while the orders in flight
 * finish in the style they were placed in.
 */
@ConfigurationProperties("shop.saga")
public class SagaProperties {

	private SagaStyle style = SagaStyle.CHOREOGRAPHY;

	/**
	 * longer than a broker outage the kit's chaos runs cause (60 s): a command in a queue
	 * is late, not lost
	 */
	private Duration stepTimeout = Duration.ofSeconds(90);

	/**
	 * how often a command is sent before its step is given up: a reservation is then
	 * compensated (the stock released, the order cancelled); a charge or a release, which
	 * cannot be undone or must finish, is awaited on and shown as overdue
	 */
	private int attempts = 2;

	/** how often the orchestrator looks for steps past their deadline */
	private Duration deadlineCheck = Duration.ofSeconds(5);

	public int getAttempts() {
		return this.attempts;
	}

	public void setAttempts(int attempts) {
		this.attempts = attempts;
	}

	public Duration getDeadlineCheck() {
		return this.deadlineCheck;
	}

	public void setDeadlineCheck(Duration deadlineCheck) {
		this.deadlineCheck = deadlineCheck;
	}

	public SagaStyle getStyle() {
		return this.style;
	}

	public void setStyle(SagaStyle style) {
		this.style = style;
	}

	public Duration getStepTimeout() {
		return this.stepTimeout;
	}

	public void setStepTimeout(Duration stepTimeout) {
		this.stepTimeout = stepTimeout;
	}

}
