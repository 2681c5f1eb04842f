package dev.stranglerkit.control;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/** Handoffs on a copy of the kit's own config-repo/application.yml. */
class HandoffsTests {

	@TempDir
	Path folder;

	private Path copy() throws Exception {
		Path application = this.folder.resolve("application.yml");
		Files.copy(Path.of("../config-repo/application.yml"), application);
		return application;
	}

	@Test
	void eachHandoffIsKeptOnceInTheModulesListAndNamesItsOwner() throws Exception {
		Handoffs handoffs = new Handoffs(copy());
		assertThat(handoffs.of("inventory")).isEmpty();
		assertThat(handoffs.owner("inventory")).isEqualTo(Owner.MONOLITH);

		handoffs.append("inventory", "2026-11-24T09:14:10Z=service");
		handoffs.append("inventory", "2026-11-24T09:20:00Z=monolith");
		handoffs.append("inventory", "2026-11-24T09:30:00Z=service");

		assertThat(handoffs.of("inventory")).containsExactly("2026-11-24T09:14:10Z=service",
				"2026-11-24T09:20:00Z=monolith", "2026-11-24T09:30:00Z=service");
		assertThat(handoffs.owner("inventory")).isEqualTo(Owner.SERVICE);
		assertThat(handoffs.of("notifications")).isEmpty();
	}

	@Test
	void removingAHandoffKeepsTheCommentsAndTheOtherEntries() throws Exception {
		Path file = copy();
		Handoffs handoffs = new Handoffs(file);
		String original = Files.readString(file);
		handoffs.append("inventory", "2026-11-24T09:14:10Z=service");
		handoffs.append("notifications", "2026-11-24T09:15:00Z=service");
		String withTwo = Files.readString(file);
		handoffs.append("inventory", "2026-11-24T09:20:00Z=monolith");

		handoffs.remove("inventory", "2026-11-24T09:20:00Z=monolith");
		assertThat(file).hasContent(withTwo);
		handoffs.remove("inventory", "2026-11-24T09:20:00Z=monolith");
		assertThat(file).as("an entry that is not there").hasContent(withTwo);

		handoffs.remove("inventory", "2026-11-24T09:14:10Z=service");
		handoffs.remove("notifications", "2026-11-24T09:15:00Z=service");
		assertThat(file).as("back to empty lists, comments kept").hasContent(original);
	}

	@Test
	void aModuleWithoutAListIsRefusedAndNothingIsWritten() throws Exception {
		Path file = copy();
		String original = Files.readString(file);
		// (settle is a setting under kit.ownership, not a module's list)
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> new Handoffs(file).append("payments", "2026-11-24T09:14:10Z=service"))
			.withMessageContaining("no kit.ownership.payments list");
		assertThatExceptionOfType(RouteChangeException.class)
			.isThrownBy(() -> new Handoffs(file).append("settle", "2026-11-24T09:14:10Z=service"))
			.withMessageContaining("no kit.ownership.settle list");
		assertThat(file).hasContent(original);
	}

}
