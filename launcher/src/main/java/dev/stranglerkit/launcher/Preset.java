package dev.stranglerkit.launcher;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.stranglerkit.control.Owner;

/**
 * A named deployment of the landscape for {@code ./kit up <preset>} and
 * {@code ./kit compare}: which applications run, and where each extracted module stands
 * (its gateway route's mode and its owner). A preset is applied through the same control
 * plane as {@code ./kit route} and {@code ./kit cutover} (config-repo), so what it sets
 * is what the files say.
 *
 * @param name how the command line names it
 * @param description one line for the user
 * @param apps the applications that run, in the landscape's start order
 * @param owners module -> who owns it (the route goes to the same side, in its mode)
 */
public record Preset(String name, String description, List<String> apps, Map<String, Owner> owners) {

	private static final List<String> CONTROL = List.of(Landscape.CONFIG_SERVER, Landscape.DISCOVERY,
			Landscape.MONOLITH);

	private static final Map<String, Preset> PRESETS = new LinkedHashMap<>();

	static {
		Preset before = new Preset("before",
				"before extraction (guide step 3): the monolith behind the gateway, every route to the monolith",
				withServices(), owners(Owner.MONOLITH, Owner.MONOLITH));
		Preset after = new Preset("after",
				"after extraction (guide step 6): inventory and notifications run as services and own their modules",
				withServices("inventory-service", "notification-service"), owners(Owner.SERVICE, Owner.SERVICE));
		add(before);
		add(after);
		add(new Preset("step-3", before.description(), before.apps(), before.owners()));
		add(new Preset("step-4", "guide step 4: notifications extracted and cut over, inventory in the monolith",
				withServices("notification-service"), owners(Owner.MONOLITH, Owner.SERVICE)));
		add(new Preset("step-5",
				"guide step 5: the inventory-service follows the monolith (backfilled, kept in sync), its route still to the monolith",
				withServices("inventory-service", "notification-service"), owners(Owner.MONOLITH, Owner.SERVICE)));
		add(new Preset("step-6", after.description(), after.apps(), after.owners()));
	}

	public Preset {
		apps = List.copyOf(apps);
		owners = Map.copyOf(owners);
	}

	/**
	 * @throws LaunchException naming the presets when there is no such one
	 */
	public static Preset named(String name) {
		Preset preset = PRESETS.get(name);
		if (preset == null) {
			throw new LaunchException("no preset '" + name + "': one of " + String.join(", ", PRESETS.keySet())
					+ " (or name applications: ./kit up monolith gateway)");
		}
		return preset;
	}

	public static boolean exists(String name) {
		return PRESETS.containsKey(name);
	}

	public static List<Preset> all() {
		return List.copyOf(PRESETS.values());
	}

	private static void add(Preset preset) {
		PRESETS.put(preset.name(), preset);
	}

	private static List<String> withServices(String... services) {
		List<String> apps = new java.util.ArrayList<>(CONTROL);
		apps.addAll(List.of(services));
		apps.add(Landscape.GATEWAY);
		return Landscape.PORTS.keySet().stream().filter(apps::contains).toList();
	}

	private static Map<String, Owner> owners(Owner inventory, Owner notifications) {
		return Map.of("inventory", inventory, "notifications", notifications);
	}

}
