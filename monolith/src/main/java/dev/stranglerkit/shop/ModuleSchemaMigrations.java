package dev.stranglerkit.shop;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import org.flywaydb.core.Flyway;

import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Runs each module's Flyway migrations ({@code db/migration/<module>/}) against the
 * module's own schema, with the module's own history table in that schema. A module's
 * schema can therefore be moved to an extracted service's database together with its
 * migration history, and no module's migration numbering depends on another's.
 */
@Configuration(proxyBeanMethods = false)
class ModuleSchemaMigrations {

	static final String MIGRATIONS = "classpath*:db/migration/*/*.sql";

	@Bean
	FlywayMigrationStrategy migrateEachModuleInItsOwnSchema() {
		return flyway -> moduleSchemas().forEach((schema) -> Flyway.configure()
			.configuration(flyway.getConfiguration())
			.schemas(schema)
			.defaultSchema(schema)
			.createSchemas(true)
			.locations("classpath:db/migration/" + schema)
			.load()
			.migrate());
	}

	static List<String> moduleSchemas() {
		try {
			Resource[] scripts = new PathMatchingResourcePatternResolver().getResources(MIGRATIONS);
			return Arrays.stream(scripts).map(ModuleSchemaMigrations::folderOf).distinct().sorted().toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot list the module migration folders", ex);
		}
	}

	private static String folderOf(Resource script) {
		try {
			String path = script.getURL().getPath();
			String folder = path.substring(0, path.lastIndexOf('/'));
			return folder.substring(folder.lastIndexOf('/') + 1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
