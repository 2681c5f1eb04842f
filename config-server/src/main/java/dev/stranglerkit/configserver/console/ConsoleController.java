package dev.stranglerkit.configserver.console;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.stranglerkit.control.AuditLog;
import dev.stranglerkit.control.ConfigRepo;
import dev.stranglerkit.control.Cutover;
import dev.stranglerkit.control.DeadLetters;
import dev.stranglerkit.control.Instances;
import dev.stranglerkit.control.Mode;

import org.springframework.core.io.ClassPathResource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.HtmlUtils;

/**
 * The migration console: its two pages, their CSS and script (plain files in the jar, no
 * CDN, no build), the state the page polls every second, the switch and the cutover.
 * <p>
 * Every path is spelled out: the config server answers {@code /{application}/{profile}}
 * for any other two segments.
 */
@RestController
class ConsoleController {

	private static final MediaType JAVASCRIPT = MediaType.parseMediaType("text/javascript;charset=UTF-8");

	private static final MediaType CSS = MediaType.parseMediaType("text/css;charset=UTF-8");

	private final LandscapeReader reader;

	private final ConfigRepo repo;

	private final DeadLetters deadLetters;

	private final Instances instances;

	ConsoleController(LandscapeReader reader, ConfigRepo repo, DeadLetters deadLetters, ConsoleProperties properties) {
		this.reader = reader;
		this.repo = repo;
		this.deadLetters = deadLetters;
		ConsoleProperties.Endpoint eureka = properties.eureka();
		this.instances = new Instances(eureka.url(), eureka.user() + ":" + eureka.password(),
				properties.gateway().user() + ":" + properties.gateway().password(), properties.applications());
	}

	@GetMapping("/console")
	ResponseEntity<String> console(CsrfToken csrf, Authentication user) {
		return page("index.html", Map.of("user", user.getName(), "csrfHeader", csrf.getHeaderName(), "csrfToken",
				csrf.getToken(), "csrfParameter", csrf.getParameterName()));
	}

	@GetMapping("/console/login")
	ResponseEntity<String> login(CsrfToken csrf, @RequestParam(required = false) String error,
			@RequestParam(required = false) String logout) {
		String message = (error != null) ? "Wrong user or password." : (logout != null) ? "Signed out." : "";
		return page("login.html",
				Map.of("message", message, "csrfParameter", csrf.getParameterName(), "csrfToken", csrf.getToken()));
	}

	@GetMapping("/console/console.css")
	ResponseEntity<String> css() {
		return ResponseEntity.ok().contentType(CSS).cacheControl(CacheControl.noCache()).body(file("console.css"));
	}

	@GetMapping("/console/console.js")
	ResponseEntity<String> script() {
		return ResponseEntity.ok()
			.contentType(JAVASCRIPT)
			.cacheControl(CacheControl.noCache())
			.body(file("console.js"));
	}

	@GetMapping(path = "/console/api/state", produces = MediaType.APPLICATION_JSON_VALUE)
	LandscapeReader.State state() {
		return this.reader.state();
	}

	/**
	 * Switches a route through config-repo, as {@code ./kit route} does; the config
	 * server's folder monitor and the bus carry it to every gateway.
	 * @return the audit log's entry
	 */
	@PostMapping(path = "/console/api/switch", produces = MediaType.APPLICATION_JSON_VALUE)
	AuditLog.Entry switchRoute(@RequestBody Switch request, Authentication user) {
		return this.repo.switchRoute(request.route(), Mode.parse(request.mode()), request.percent(), user.getName(),
				"console");
	}

	/**
	 * Moves a module and its route to the other side, confirmed by both, as {@code ./kit
	 * cutover} does (kit-control's {@link Cutover}); answers once both sides confirmed
	 * the handoff (within about fifteen seconds), or with a problem when the cutover was
	 * refused or undone. One cutover at a time from the console.
	 * @return the handoff's instant and each step's report
	 */
	@PostMapping(path = "/console/api/cutover", produces = MediaType.APPLICATION_JSON_VALUE)
	synchronized Moved cutover(@RequestBody Move request, Authentication user) {
		List<String> progress = new CopyOnWriteArrayList<>();
		Instant handoff = new Cutover(this.repo, this.instances, user.getName(), "console", progress::add)
			.move(request.module(), Cutover.target(request.to()));
		return new Moved(handoff, progress);
	}

	/**
	 * Sends every dead-lettered message of the landscape's queues back to its queue, as
	 * {@code ./kit replay all} does; the consumers are idempotent, so a replay applies
	 * each message once.
	 * @return per queue, how many messages went back
	 */
	@PostMapping(path = "/console/api/replay", produces = MediaType.APPLICATION_JSON_VALUE)
	Map<String, Integer> replayDeadLetters() {
		return this.deadLetters.replayAll(this.repo.folder());
	}

	/**
	 * @param percent the canary percent, or null to leave it as it is (needed for canary)
	 */
	record Switch(String route, String mode, Integer percent) {
	}

	/**
	 * @param to {@code service} or {@code monolith}
	 */
	record Move(String module, String to) {
	}

	/**
	 * @param handoff from when the new owner owns the module's events
	 * @param progress what the cutover reported, a line per step
	 */
	record Moved(Instant handoff, List<String> progress) {
	}

	private static ResponseEntity<String> page(String name, Map<String, String> values) {
		String html = file(name);
		for (Map.Entry<String, String> value : values.entrySet()) {
			html = html.replace("{{" + value.getKey() + "}}", HtmlUtils.htmlEscape(value.getValue()));
		}
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("text/html;charset=UTF-8"))
			.cacheControl(CacheControl.noStore())
			.body(html);
	}

	private static String file(String name) {
		try {
			return new ClassPathResource("console/" + name).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
