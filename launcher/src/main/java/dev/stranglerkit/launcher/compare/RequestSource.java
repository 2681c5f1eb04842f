package dev.stranglerkit.launcher.compare;

/**
 * The caller's mix of requests: the {@link Workload} only decides when a request goes
 * out, the source decides which.
 */
@FunctionalInterface
public interface RequestSource {

	/**
	 * Called on the sending thread before the request's intended time, in order, once per
	 * sequence number: keep it quick, time spent here makes the sender late.
	 * @param sequence 0 for the first request, 1 for the second, and so on
	 */
	Request next(long sequence);

}
