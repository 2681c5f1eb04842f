package dev.stranglerkit.benchmarks.outbox;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Predicate;

/**
 * CPU time (user and system) of this JVM, of PostgreSQL's processes (its back ends, the
 * WAL writer, and the walsender that decodes the log for change data capture) and of
 * RabbitMQ's runtime, read from {@code /proc} (Linux): a phase's share per event is the
 * difference of two readings over its events.
 */
final class CpuTime {

	/** the kernel's clock ticks per second (USER_HZ, 100 on Linux) */
	private static final double TICKS_PER_SECOND = 100.0;

	private CpuTime() {
	}

	/**
	 * @return CPU seconds so far: jvm, postgres and rabbitmq
	 */
	static Map<String, Double> now() {
		long self = ProcessHandle.current().pid();
		return Map.of("jvm", seconds((process) -> process.pid() == self), "postgres",
				seconds((process) -> command(process).endsWith("/postgres") || command(process).equals("postgres")),
				"rabbitmq", seconds((process) -> command(process).endsWith("/beam.smp")));
	}

	private static String command(ProcessHandle process) {
		return process.info().command().orElse("");
	}

	private static double seconds(Predicate<ProcessHandle> which) {
		return ProcessHandle.allProcesses().filter(which).mapToLong(CpuTime::ticks).sum() / TICKS_PER_SECOND;
	}

	/** utime + stime, the 14th and 15th fields of /proc/<pid>/stat */
	private static long ticks(ProcessHandle process) {
		try {
			String stat = Files.readString(Path.of("/proc", String.valueOf(process.pid()), "stat"));
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			// fields[0] is the 3rd field (state): utime is the 14th, stime the 15th
			return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		}
		catch (IOException | RuntimeException ex) {
			return 0; // the process ended meanwhile
		}
	}

}
