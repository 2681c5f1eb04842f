package dev.stranglerkit.shop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import net.sourceforge.plantuml.FileFormat;
import net.sourceforge.plantuml.FileFormatOption;
import net.sourceforge.plantuml.SourceStringReader;
import org.junit.jupiter.api.Test;

import org.springframework.modulith.docs.Documenter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module diagram of the migration guide ({@code migration-guide/diagrams/}), written
 * by Spring Modulith's Documenter from the code and rendered to SVG with PlantUML. The
 * committed diagram must be the one the code gives today: a module or dependency added
 * without refreshing it fails the build. Refresh it with
 * {@code mvn -pl monolith test -Dtest=ModuleDiagramsTests -Dkit.docs.write=true}.
 */
class ModuleDiagramsTests {

	static final Path GUIDE_DIAGRAMS = Path.of("..", "migration-guide", "diagrams");

	@Test
	void theGuideShowsTheModulesAsTheCodeHasThem() throws IOException {
		Path folder = Path.of("target", "guide-diagrams");
		new Documenter(ModularityTests.MODULES, Documenter.Options.defaults().withOutputFolder(folder.toString()))
			.writeModulesAsPlantUml(
					Documenter.DiagramOptions.defaults().withStyle(Documenter.DiagramOptions.DiagramStyle.UML));
		// PlantUML's own layout engine, so that no Graphviz is needed to render it
		String diagram = Files.readString(folder.resolve("components.puml"))
			.replaceFirst("@startuml\\R", "@startuml\n!pragma layout smetana\n");
		String svg = render(diagram);
		assertThat(svg).contains("<svg").contains("Catalog", "Inventory", "Orders", "Payments", "Notifications");

		if (Boolean.getBoolean("kit.docs.write")) {
			Files.createDirectories(GUIDE_DIAGRAMS);
			Files.writeString(GUIDE_DIAGRAMS.resolve("modules.puml"), diagram);
			Files.writeString(GUIDE_DIAGRAMS.resolve("modules.svg"), svg);
		}
		// the same lines: the Documenter writes the relationships in no fixed order
		assertThat(Files.readAllLines(GUIDE_DIAGRAMS.resolve("modules.puml")))
			.as("the guide's diagram, refreshed with -Dkit.docs.write=true")
			.containsExactlyInAnyOrderElementsOf(diagram.lines().toList());
		assertThat(GUIDE_DIAGRAMS.resolve("modules.svg")).exists();
	}

	private static String render(String diagram) throws IOException {
		ByteArrayOutputStream svg = new ByteArrayOutputStream();
		new SourceStringReader(diagram).outputImage(svg, new FileFormatOption(FileFormat.SVG));
		return svg.toString(StandardCharsets.UTF_8);
	}

}
