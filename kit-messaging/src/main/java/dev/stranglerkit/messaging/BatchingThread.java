package dev.stranglerkit.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One platform thread that hands whatever has queued up while it was busy, up to a
 * batch's size, to a handler: an idle system handles each item at once, a busy one many
 * at a time (the group commit of publication states, the relay's publishing). It handles
 * what is queued before it stops.
 *
 * @param <T> the items
 */
final class BatchingThread<T> {

	private static final Logger log = LoggerFactory.getLogger(BatchingThread.class);

	private final BlockingQueue<T> queue = new LinkedBlockingQueue<>();

	private final int maxBatch;

	private final Consumer<List<T>> handler;

	private final Thread thread;

	private volatile boolean running = true;

	BatchingThread(String name, int maxBatch, Consumer<List<T>> handler) {
		this.maxBatch = maxBatch;
		this.handler = handler;
		this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::run);
		this.thread.start();
	}

	/**
	 * @return whether the item was queued: {@code false} once the thread was asked to
	 * stop
	 */
	boolean add(T item) {
		if (!this.running) {
			return false;
		}
		this.queue.add(item);
		return true;
	}

	/**
	 * Stops the thread once it has handled what is queued (waiting for it at most the
	 * timeout).
	 * @return what is left in the queue: added as the thread stopped, or not handled in
	 * time
	 */
	List<T> stop(Duration timeout) throws InterruptedException {
		this.running = false;
		this.thread.join(timeout.toMillis());
		List<T> left = new ArrayList<>();
		this.queue.drainTo(left);
		return left;
	}

	private void run() {
		List<T> batch = new ArrayList<>();
		while (this.running || !this.queue.isEmpty()) {
			try {
				T first = this.queue.poll(100, TimeUnit.MILLISECONDS);
				if (first == null) {
					continue;
				}
				batch.add(first);
				this.queue.drainTo(batch, this.maxBatch - 1);
				this.handler.accept(batch);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.running = false;
			}
			catch (RuntimeException ex) {
				// the handler tells the items' owners itself; the thread goes on
				log.warn("Could not handle {} items on {}: {}", batch.size(), this.thread.getName(), ex.toString());
			}
			finally {
				batch.clear();
			}
		}
	}

}
