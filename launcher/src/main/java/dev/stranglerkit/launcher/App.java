package dev.stranglerkit.launcher;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.control.Tls;

/**
 * One application of the landscape as the launcher starts it: {@code java [options] -jar
 * <jar> [args]} with extra environment, answering health on its port.
 *
 * @param name the application's name (also its Eureka name, its log and pid file)
 * @param port the HTTP port it listens on
 * @param jar the executable jar
 * @param javaOptions JVM options of its own, after the launcher's for every application
 * @param args program arguments
 * @param env environment added to the launcher's own
 * @param id the instance's id: its name, or {@code <name>-<port>} for a further instance
 */
public record App(String name, int port, Path jar, List<String> javaOptions, List<String> args, Map<String, String> env,
		String id) {

	public App {
		javaOptions = List.copyOf(javaOptions);
		args = List.copyOf(args);
		env = Map.copyOf(env);
	}

	public App(String name, int port, Path jar, List<String> args, Map<String, String> env) {
		this(name, port, jar, List.of(), args, env, name);
	}

	/**
	 * @return another instance of the application, on another port (its id, for its log
	 * and pid file, is {@code <name>-<port>}; its Eureka name is the same)
	 */
	public App instance(int port) {
		List<String> instanceArgs = new java.util.ArrayList<>(this.args);
		instanceArgs.add("--server.port=" + port);
		return new App(this.name, port, this.jar, this.javaOptions, instanceArgs, this.env, this.name + "-" + port);
	}

	public URI health() {
		return Tls.local(this.port).resolve("/actuator/health");
	}

	public URI url() {
		return Tls.local(this.port);
	}

}
