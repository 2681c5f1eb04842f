package dev.stranglerkit.control;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The landscape's credentials, in one place: who uses each, what it opens, the variables
 * that change it, and its default, which is fine on a laptop and nowhere else. Machines
 * and people never share one: the console's login opens no machine surface, and no
 * machine credential opens the console. (The README's table of credentials says the
 * same.)
 */
public enum Credential {

	/**
	 * Operators and their tools ({@code ./kit}, the console's readings): every actuator
	 * endpoint but health, on every application.
	 */
	ADMIN("KIT_ADMIN", "admin", "admin-secret", "every actuator endpoint but health, on every application"),

	/** People: the migration console's login (routes, cutovers, dead-letter replays). */
	CONSOLE("KIT_CONSOLE", "console", "console-secret", "the migration console: switches routes and owners"),

	/** Every application's configuration, from the config server. */
	CONFIG("KIT_CONFIG", "config", "config-secret", "every application's configuration on the config server"),

	/** The registry: reading it, and registering in it. */
	EUREKA("KIT_EUREKA", "eureka", "eureka-secret", "Eureka: reads the registry and registers any name"),

	/** The broker, when an application is given no user of its own. */
	RABBIT("SHOP_RABBIT", "guest", "guest", "RabbitMQ as guest: every queue and exchange, the bus included");

	private final String prefix;

	private final String defaultUser;

	private final String defaultPassword;

	private final String opens;

	Credential(String prefix, String defaultUser, String defaultPassword, String opens) {
		this.prefix = prefix;
		this.defaultUser = defaultUser;
		this.defaultPassword = defaultPassword;
		this.opens = opens;
	}

	/**
	 * @return the variable that sets the user ({@code KIT_ADMIN_USER}, ...)
	 */
	public String userVariable() {
		return this.prefix + "_USER";
	}

	/**
	 * @return the variable that sets the password
	 */
	public String passwordVariable() {
		return this.prefix + "_PASSWORD";
	}

	public String defaultPassword() {
		return this.defaultPassword;
	}

	public String opens() {
		return this.opens;
	}

	/**
	 * @return {@code user:password} as the environment sets it, or the default
	 */
	public String from(Map<String, String> env) {
		return env.getOrDefault(userVariable(), this.defaultUser) + ":"
				+ env.getOrDefault(passwordVariable(), this.defaultPassword);
	}

	/**
	 * @return {@code user:password} as this process's environment sets it
	 */
	public String current() {
		return from(System.getenv());
	}

	/**
	 * The default credentials an application still uses, for its start-up warning.
	 * @param property the application's configuration: a property's value, or null
	 * @return one line per default credential in use: the variables that change it and
	 * what it opens
	 */
	public static List<String> defaultsInUse(Function<String, String> property) {
		List<String> inUse = new ArrayList<>();
		for (String key : HOLDERS) {
			String value = property.apply(key);
			for (Credential credential : values()) {
				boolean isDefault = (value != null) && (value.equals(credential.defaultPassword)
						|| value.contains(":" + credential.defaultPassword + "@"));
				String line = credential.passwordVariable() + " (" + credential.opens + ")";
				if (isDefault && !inUse.contains(line)) {
					inUse.add(line);
				}
			}
		}
		return inUse;
	}

	/**
	 * the properties that hold a password in some application (a server's own user, a
	 * client's credential, the registry's address)
	 */
	private static final List<String> HOLDERS = List.of("spring.security.user.password", "kit.console.password",
			"kit.console.gateway.password", "kit.console.eureka.password", "spring.cloud.config.password",
			"eureka.client.service-url.defaultZone", "spring.rabbitmq.password");

}
