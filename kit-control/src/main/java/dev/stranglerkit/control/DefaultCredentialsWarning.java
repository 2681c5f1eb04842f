package dev.stranglerkit.control;

import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

/**
 * Every application of the landscape (through kit-control, on each one's class path)
 * names, once it has started, every default {@link Credential} it still uses: they are
 * fine on a laptop and nowhere else.
 */
public class DefaultCredentialsWarning implements ApplicationListener<ApplicationReadyEvent> {

	private static final Log logger = LogFactory.getLog(DefaultCredentialsWarning.class);

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		Environment environment = event.getApplicationContext().getEnvironment();
		List<String> inUse = Credential.defaultsInUse(environment::getProperty);
		if (!inUse.isEmpty()) {
			logger.warn("Default credentials in use, fine on a laptop and nowhere else (set each variable to "
					+ "change it): " + String.join("; ", inUse));
		}
	}

}
