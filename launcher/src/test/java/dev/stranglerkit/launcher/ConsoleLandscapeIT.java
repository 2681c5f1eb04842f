package dev.stranglerkit.launcher;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import dev.stranglerkit.control.AuditLog;
import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Http;
import dev.stranglerkit.control.Mode;
import dev.stranglerkit.control.Owner;
import dev.stranglerkit.control.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * The migration console in a real browser (headless Chromium driven by Selenium) on the
 * whole landscape, each application its own process started by the launcher as
 * {@code ./kit up} starts it, on a copy of config-repo. While reads with distinct canary
 * keys stream through the gateway, a person logs in to {@code /console}, sees the routes,
 * switches inventory to canary 30 on the page and sees the split move (both targets get
 * traffic, about 30 % the service), with the file and the audit log saying so; then
 * switches back to the monolith and sees the service's share fall to nothing; then cuts
 * notifications over to its service on the page and back, each confirmed by both sides.
 * The page is kept as {@code target/console.png}.
 */
class ConsoleLandscapeIT {

	static final String CONSOLE = "http://127.0.0.1:8888/console";

	static final URI gateway = URI.create("http://127.0.0.1:8080");

	static final String PRODUCT = "00000000-0000-0000-0000-000000000001";

	static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	static TestLandscape landscape;

	static WebDriver browser;

	@BeforeAll
	static void startTheLandscape() {
		landscape = new TestLandscape();
		// the inventory route starts with the monolith, whatever the copied config-repo
		// says
		landscape.route("inventory", "monolith", 0);
		landscape.upEverything();
	}

	@AfterAll
	static void stopTheLandscape() {
		if (browser != null) {
			browser.quit();
		}
		if (landscape != null) {
			landscape.down();
		}
	}

	@Test
	void switchesTheInventoryRouteFromThePageAndSeesTheSplitMove() throws Exception {
		ConfigRepo repo = new ConfigRepo(landscape.landscape.configRepo());
		// both targets in the registry before any read
		await().atMost(Duration.ofSeconds(60)).until(() -> registered("INVENTORY-SERVICE") && registered("MONOLITH"));
		GatewayReads reads = new GatewayReads(http, gateway, "/api/inventory/" + PRODUCT, 3, true,
				Duration.ofMillis(20));
		reads.start();
		try {
			browser = chrome();
			WebDriverWait page = new WebDriverWait(browser, Duration.ofSeconds(20));
			page.ignoring(StaleElementReferenceException.class);

			// the console asks for a login, and then shows every route as the file says
			// it
			browser.get(CONSOLE);
			page.until((driver) -> driver.getCurrentUrl().endsWith("/console/login"));
			browser.findElement(By.id("username")).sendKeys("console");
			browser.findElement(By.id("password")).sendKeys("console-secret");
			browser.findElement(By.id("sign-in")).click();
			page.until((driver) -> !driver.findElements(By.cssSelector("tr[data-route='inventory']")).isEmpty());
			assertThat(browser.findElements(By.cssSelector("#routes tr[data-route]")))
				.extracting((row) -> row.getDomAttribute("data-route"))
				.containsExactly("catalog", "inventory", "orders", "payments", "notifications");
			page.until((driver) -> "monolith".equals(inventory().getDomAttribute("data-applied-mode"))
					&& rps("monolith") > 0);

			// canary 30, switched on the page: the file and the audit log say so, and the
			// gateway sends about 30 % of the keys to the service
			long switched = System.nanoTime();
			switchOnThePage("canary", 30);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(route(repo).mode()).isEqualTo(Mode.CANARY));
			assertThat(route(repo).canaryPercent()).isEqualTo(30);
			// the console appends the audit line just after it wrote the route
			await().atMost(Duration.ofSeconds(5)).until(() -> !repo.audit().last(1).isEmpty());
			AuditLog.Entry entry = repo.audit().last(1).get(0);
			assertThat(entry)
				.extracting(AuditLog.Entry::user, AuditLog.Entry::via, AuditLog.Entry::route, AuditLog.Entry::mode,
						AuditLog.Entry::percent)
				.containsExactly("console", "console", "inventory", Mode.CANARY, 30);
			page.until((driver) -> "canary".equals(inventory().getDomAttribute("data-applied-mode"))
					&& "30".equals(inventory().getDomAttribute("data-applied-percent")));
			page.until((driver) -> rps("inventory-service") > 0 && rps("monolith") > 0);
			long applied = System.nanoTime();
			// once the page's traffic window (plus a second for its scrape) holds only
			// traffic after the switch: about 30 % to the service
			page.until((driver) -> Duration.ofNanos(System.nanoTime() - applied)
				.compareTo(Duration.ofSeconds(Long.parseLong(text("#window")) + 1)) >= 0
					&& share("inventory-service") > 0.15 && share("inventory-service") < 0.45);
			System.out.printf("[console] canary 30 on the page: service %.2f req/s (%.0f %%), monolith %.2f req/s%n",
					rps("inventory-service"), 100 * share("inventory-service"), rps("monolith"));
			assertThat(reads.servedBySince(switched)).contains("monolith", "inventory-service");
			screenshot();

			// and back: the service's share falls to nothing once the window has passed
			switchOnThePage("monolith", null);
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(route(repo).mode()).isEqualTo(Mode.MONOLITH));
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(repo.audit().last(1).get(0))
					.extracting(AuditLog.Entry::user, AuditLog.Entry::via, AuditLog.Entry::mode)
					.containsExactly("console", "console", Mode.MONOLITH));
			page.until((driver) -> "monolith".equals(inventory().getDomAttribute("data-applied-mode")));
			page.until((driver) -> rps("inventory-service") == 0 && rps("monolith") > 0);
			page.until((driver) -> text("#audit tbody tr").contains("monolith"));
			assertThat(text("#audit tbody tr")).contains("console").contains("inventory");
			// the registry and the outboxes are there too (the page reads them anew every
			// refresh: a read that timed out shows as a problem until the next one)
			page.until(
					(driver) -> text("#instances").contains("inventory-service") && text("#instances").contains("UP"));
			assertThat(text("#outboxes tr[data-app='monolith']")).isNotEmpty()
				.doesNotContain("not running")
				.contains("outbox");
			// and the monolith's sagas, in the style config-repo gives
			page.until((driver) -> text("#sagas tr[data-app='monolith']").contains("choreography"));

			// a cutover of notifications on the page: it answers once both sides
			// confirmed
			// the handoff, with the handoff and the route in config-repo under the user
			cutOverOnThePage("notifications", "service");
			assertThat(repo.handoffs().owner("notifications")).isEqualTo(Owner.SERVICE);
			assertThat(repo.routes().routes()).filteredOn((route) -> route.name().equals("notifications"))
				.extracting(Route::mode, Route::owner)
				.containsExactly(tuple(Mode.SERVICE, Owner.SERVICE));
			assertThat(repo.audit().last(1).get(0))
				.extracting(AuditLog.Entry::user, AuditLog.Entry::via, AuditLog.Entry::route, AuditLog.Entry::mode)
				.containsExactly("console", "console", "notifications", Mode.SERVICE);
			// and back
			cutOverOnThePage("notifications", "monolith");
			assertThat(repo.handoffs().owner("notifications")).isEqualTo(Owner.MONOLITH);
		}
		finally {
			reads.stop();
		}
		System.out.printf("[console] %d reads, served by %s, failures %s%n", reads.total.get(), reads.served,
				reads.failures);
		assertThat(reads.failures).isEmpty();
	}

	private static WebDriver chrome() {
		ChromeOptions options = new ChromeOptions();
		options.setBinary(System.getenv().getOrDefault("KIT_CHROMIUM", "/usr/bin/chromium"));
		// headless, and as root (CI) without Chromium's sandbox
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1360,1300");
		ChromeDriverService driver = new ChromeDriverService.Builder()
			.usingDriverExecutable(new File(System.getenv().getOrDefault("KIT_CHROMEDRIVER", "/usr/bin/chromedriver")))
			.build();
		return new ChromeDriver(driver, options);
	}

	private static void switchOnThePage(String mode, Integer percent) {
		WebElement row = inventory();
		new Select(row.findElement(By.cssSelector(".mode-input"))).selectByValue(mode);
		if (percent != null) {
			WebElement input = row.findElement(By.cssSelector(".percent-input"));
			input.clear();
			input.sendKeys(percent.toString());
		}
		row.findElement(By.cssSelector(".apply")).click();
	}

	/**
	 * Clicks the route's cutover button, and waits until the page reports that both sides
	 * confirmed the handoff.
	 */
	private static void cutOverOnThePage(String module, String to) {
		String row = "tr[data-route='" + module + "']";
		new WebDriverWait(browser, Duration.ofSeconds(20)).ignoring(StaleElementReferenceException.class)
			.until((driver) -> text(row + " .cutover").endsWith(to));
		browser.findElement(By.cssSelector(row + " .cutover")).click();
		new WebDriverWait(browser, Duration.ofSeconds(30)).ignoring(StaleElementReferenceException.class)
			.until((driver) -> text(row + " .moved").contains("notification-service confirmed the handoff")
					|| !browser.findElements(By.cssSelector(row + " .moved.refused")).isEmpty());
		assertThat(text(row + " .moved")).contains("monolith confirmed the handoff")
			.contains("notification-service confirmed the handoff");
	}

	private static WebElement inventory() {
		return browser.findElement(By.cssSelector("tr[data-route='inventory']"));
	}

	/**
	 * @return the target's requests per second as the page shows them, 0 when absent
	 */
	private static double rps(String target) {
		return targetAttribute(target, "data-rps");
	}

	private static double share(String target) {
		return targetAttribute(target, "data-share");
	}

	/**
	 * Reads the attribute in the page's own script, in one step: the page replaces the
	 * targets' list items every second, so an element found first and read after may be
	 * gone by then (a stale element reference).
	 */
	private static double targetAttribute(String target, String attribute) {
		Object shown = ((JavascriptExecutor) browser).executeScript(
				"const item = document.querySelector(\"tr[data-route='inventory'] li[data-target='\" + arguments[0] + \"']\");"
						+ " return item ? item.getAttribute(arguments[1]) : null;",
				target, attribute);
		return (shown != null) ? Double.parseDouble(shown.toString()) : 0;
	}

	/**
	 * @return the text of the first element the selector finds, "" when there is none;
	 * read in one step, as the page replaces these rows every second
	 */
	private static String text(String selector) {
		Object shown = ((JavascriptExecutor) browser).executeScript(
				"const element = document.querySelector(arguments[0]); return element ? element.innerText : '';",
				selector);
		return String.valueOf(shown);
	}

	private static Route route(ConfigRepo repo) {
		return repo.routes().routes().stream().filter((route) -> route.name().equals("inventory")).findFirst().get();
	}

	private static void screenshot() throws IOException {
		Path shot = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
		Path kept = Path.of("target", "console.png");
		Files.createDirectories(kept.getParent());
		Files.copy(shot, kept, StandardCopyOption.REPLACE_EXISTING);
		System.out.println("[console] screenshot: " + kept.toAbsolutePath());
	}

	private static boolean registered(String app) {
		return Http.get(URI.create("http://127.0.0.1:8761/eureka/apps/" + app), "eureka:eureka-secret")
			.map((response) -> response.statusCode() == 200
					&& response.body().replace(" ", "").contains("\"status\":\"UP\""))
			.orElse(false);
	}

}
