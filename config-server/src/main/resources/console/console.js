// The migration console: polls /console/api/state every second and redraws what changed;
// a switch posts to /console/api/switch, a cutover to /console/api/cutover. Plain DOM, no
// framework, no build.
"use strict";

const MODES = ["monolith", "shadow", "canary", "service"];
const csrf = {
	header: document.querySelector('meta[name="csrf-header"]').content,
	token: document.querySelector('meta[name="csrf-token"]').content,
};
const rows = new Map(); // route name -> its table row, made once so that the switch keeps its input

function el(tag, attributes = {}, ...children) {
	const element = document.createElement(tag);
	for (const [name, value] of Object.entries(attributes)) {
		if (name === "text") element.textContent = value;
		else element.setAttribute(name, value);
	}
	element.append(...children);
	return element;
}

function number(value, digits = 1) {
	return value == null ? "–" : value.toFixed(digits);
}

function color(target) {
	if (target === "monolith") return "var(--monolith)";
	if (target.endsWith("-service")) return "var(--service)";
	return "var(--other)";
}

function time(instant) {
	return new Date(instant).toLocaleTimeString();
}

async function poll() {
	try {
		const response = await fetch("/console/api/state", { headers: { Accept: "application/json" } });
		if (response.status === 401) {
			location.href = "/console/login";
			return;
		}
		if (!response.ok) throw new Error("the console answered " + response.status);
		render(await response.json());
		live(true, "live · " + new Date().toLocaleTimeString());
	}
	catch (error) {
		live(false, "offline: " + error.message);
	}
	setTimeout(poll, 1000);
}

function live(on, text) {
	const indicator = document.getElementById("live");
	indicator.className = "live " + (on ? "on" : "off");
	indicator.textContent = text;
}

/** bytes as a person reads them */
function bytes(value) {
	if (value == null || Number.isNaN(value)) return "–";
	const units = ["B", "KiB", "MiB", "GiB"];
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
	return (unit === 0 ? value.toFixed(0) : value.toFixed(1)) + " " + units[unit];
}

function render(state) {
	document.getElementById("problems").replaceChildren(
		...Object.values(state.problems).map((problem) => el("div", { class: "problem", text: problem })));
	const traffic = state.routes.find((route) => route.traffic);
	document.getElementById("window").textContent = traffic ? traffic.traffic.seconds.toFixed(0) : "few";
	for (const route of state.routes) renderRoute(route);
	renderMismatches(state.mismatches);
	document.querySelector("#instances tbody").replaceChildren(...state.instances.map((instance) =>
		el("tr", { "data-instance": instance.id },
			el("td", { text: instance.app }), el("td", { text: instance.id }),
			el("td", {}, el("span", { class: "status " + instance.status, text: instance.status })))));
	if (state.instances.length === 0) {
		document.querySelector("#instances tbody").append(el("tr", {}, el("td", { colspan: 3, class: "empty", text: "No instance registered." })));
	}
	document.querySelector("#outboxes tbody").replaceChildren(...state.outboxes.map((outbox) =>
		el("tr", { "data-app": outbox.app },
			el("td", { text: outbox.app }),
			...(outbox.reachable
				? [el("td", { class: "num", text: number(outbox.incomplete, 0) }),
					el("td", { class: "num", text: outbox.oldestAgeSeconds ? number(outbox.oldestAgeSeconds) + " s" : "–" }),
					el("td", { class: "num" + (outbox.deadLetters > 0 ? " errors" : ""), text: number(outbox.deadLetters, 0) }),
					el("td", { class: "num" + (outbox.overdueDecisions > 0 ? " errors" : ""), text: number(outbox.overdueDecisions, 0) }),
					el("td", { text: outbox.relay === "cdc" ? "cdc, slot " + outbox.slot : outbox.relay }),
					el("td", { class: "num", text: outbox.relay === "cdc" ? bytes(outbox.slotBehindBytes) : "–" })]
				: [el("td", { colspan: 6, class: "num status off", text: "not running" })]))));
	document.querySelector("#sagas tbody").replaceChildren(...state.sagas.map((sagas) =>
		el("tr", { "data-app": sagas.app },
			el("td", { text: sagas.app }), el("td", { text: sagas.style }),
			el("td", { class: "num", text: number(sagas.pendingChoreographed, 0) }),
			el("td", { class: "num", text: number(sagas.pendingOrchestrated, 0) }),
			el("td", { class: "num" + (sagas.overdueSteps > 0 ? " errors" : ""), text: number(sagas.overdueSteps, 0) }),
			el("td", { class: "num", text: number(sagas.confirmed, 0) }),
			el("td", { class: "num", text: number(sagas.cancelled, 0) }))));
	if (state.sagas.length === 0) {
		document.querySelector("#sagas tbody").append(el("tr", {}, el("td", { colspan: 7, class: "empty", text: "No application with sagas answers." })));
	}
	document.querySelector("#audit tbody").replaceChildren(...state.audit.map((entry) =>
		el("tr", {},
			el("td", { text: new Date(entry.at).toLocaleString() }), el("td", { text: entry.user }),
			el("td", { text: entry.via }), el("td", { text: entry.route }), el("td", { text: entry.mode }),
			el("td", { class: "num", text: entry.percent == null ? "–" : entry.percent + " %" }))));
	if (state.audit.length === 0) {
		document.querySelector("#audit tbody").append(el("tr", {}, el("td", { colspan: 6, class: "empty", text: "No switch yet." })));
	}
}

function renderRoute(route) {
	let row = rows.get(route.name);
	if (!row) {
		row = newRow(route);
		rows.set(route.name, row);
		document.querySelector("#routes tbody").append(row);
	}
	const described = route.mode === "canary" ? "canary " + route.canaryPercent + " %" : route.mode;
	const applied = route.appliedMode === "canary" ? "canary " + route.appliedPercent + " %" : route.appliedMode;
	row.querySelector(".owner").textContent = route.owner ? "writes: " + route.owner : "";
	row.dataset.owner = route.owner ?? "";
	const cutover = row.querySelector(".cutover");
	cutover.hidden = !route.owner;
	if (!cutover.disabled) cutover.textContent = route.owner === "service" ? "Cut back to monolith" : "Cut over to service";
	const mode = row.querySelector(".mode");
	mode.dataset.mode = route.mode;
	mode.textContent = described;
	const gateway = row.querySelector(".applied");
	const inStep = applied === described;
	gateway.className = "applied" + (inStep ? "" : " pending");
	gateway.textContent = route.appliedMode == null ? "gateway: not answering" : inStep ? "✓ applied by the gateway" : "gateway: " + applied;
	row.dataset.fileMode = route.mode;
	row.dataset.filePercent = route.canaryPercent ?? "";
	row.dataset.appliedMode = route.appliedMode ?? "";
	row.dataset.appliedPercent = route.appliedPercent ?? "";

	const traffic = route.traffic;
	const targets = traffic ? traffic.targets : [];
	row.querySelector(".bar").replaceChildren(...targets.filter((target) => target.share > 0).map((target) =>
		el("span", { style: "width:" + (100 * target.share).toFixed(1) + "%;background:" + color(target.target), title: target.target })));
	row.querySelector(".targets").replaceChildren(...targets.map((target) =>
		el("li", { "data-target": target.target, "data-rps": target.perSecond.toFixed(2), "data-share": target.share.toFixed(3) },
			el("i", { class: "swatch", style: "background:" + color(target.target) }),
			target.target + " ", el("b", { class: "rps", text: number(target.perSecond) }), "/s · " + (100 * target.share).toFixed(0) + " %"
			+ (target.errorsPerSecond > 0 ? " · " + number(target.errorsPerSecond) + " errors/s" : ""))));
	if (targets.length === 0) {
		row.querySelector(".targets").append(el("li", { class: "quiet", text: traffic ? "no requests" : "measuring…" }));
	}
	row.querySelector(".total").textContent = traffic ? number(traffic.perSecond) : "–";
	const errors = row.querySelector(".error-rate");
	errors.textContent = traffic ? number(traffic.errorsPerSecond) : "–";
	errors.classList.toggle("errors", !!traffic && traffic.errorsPerSecond > 0);
	row.querySelector(".latency").textContent = traffic && traffic.meanMillis != null ? number(traffic.meanMillis) + " ms" : "–";
	const comparisons = Object.entries(route.comparisons);
	row.querySelector(".shadow").textContent = comparisons.length === 0 ? "–"
		: comparisons.map(([result, count]) => count + " " + result).join(" · ");
}

function newRow(route) {
	const select = el("select", { class: "mode-input", "aria-label": "mode of " + route.name },
		...MODES.map((mode) => el("option", { value: mode, text: mode })));
	select.value = route.mode;
	const percent = el("input", { class: "percent-input", type: "number", min: 0, max: 100, step: 1,
		"aria-label": "canary percent of " + route.name });
	percent.value = route.canaryPercent ?? "";
	const enable = () => { percent.disabled = select.value !== "canary"; };
	select.addEventListener("change", enable);
	enable();
	const apply = el("button", { class: "apply", type: "button", text: "Switch" });
	const refused = el("div", { class: "refused" });
	apply.addEventListener("click", () => switchRoute(route.name, select, percent, apply, refused));
	const cutover = el("button", { class: "cutover", type: "button", hidden: "" });
	const moved = el("div", { class: "moved" });
	const row = el("tr", { "data-route": route.name },
		el("td", {}, el("span", { class: "route-name", text: route.name }), el("span", { class: "owner" }), cutover, moved),
		el("td", {}, el("span", { class: "mode" }), el("span", { class: "applied" })),
		el("td", {}, el("div", { class: "bar" }), el("ul", { class: "targets" })),
		el("td", { class: "num total" }),
		el("td", { class: "num error-rate" }),
		el("td", { class: "num latency" }),
		el("td", { class: "shadow quiet" }),
		el("td", {}, el("div", { class: "switch" }, select, percent, apply), refused));
	cutover.addEventListener("click", () =>
		cutOver(route.name, row.dataset.owner === "service" ? "monolith" : "service", cutover, moved));
	return row;
}

/** ./kit cutover from the page: the module's handoff and route, answered once both sides confirmed it (or undone). */
async function cutOver(module, to, button, moved) {
	button.disabled = true;
	button.textContent = "Cutting over to " + to + "…";
	moved.className = "moved";
	moved.textContent = "";
	try {
		const response = await fetch("/console/api/cutover", {
			method: "POST",
			headers: { "Content-Type": "application/json", Accept: "application/json", [csrf.header]: csrf.token },
			body: JSON.stringify({ module, to }),
		});
		if (response.status === 401) {
			location.href = "/console/login";
			return;
		}
		const answer = await response.json().catch(() => ({}));
		if (response.ok) {
			moved.textContent = answer.progress.join(" · ");
		}
		else {
			moved.className = "moved refused";
			moved.textContent = (answer.title ? answer.title + ": " : "") + (answer.detail || "not done: " + response.status);
		}
	}
	catch (error) {
		moved.className = "moved refused";
		moved.textContent = "not sent: " + error.message;
	}
	finally {
		button.disabled = false;
	}
}

async function switchRoute(name, select, percent, button, refused) {
	button.disabled = true;
	refused.textContent = "";
	const body = { route: name, mode: select.value };
	if (select.value === "canary") body.percent = percent.value === "" ? null : Number(percent.value);
	try {
		const response = await fetch("/console/api/switch", {
			method: "POST",
			headers: { "Content-Type": "application/json", Accept: "application/json", [csrf.header]: csrf.token },
			body: JSON.stringify(body),
		});
		if (response.status === 401) {
			location.href = "/console/login";
			return;
		}
		if (!response.ok) {
			const problem = await response.json().catch(() => ({}));
			refused.textContent = problem.detail || problem.title || "refused: " + response.status;
		}
	}
	catch (error) {
		refused.textContent = "not sent: " + error.message;
	}
	finally {
		button.disabled = false;
	}
}

/** Every dead-lettered message back to its queue (./kit replay all); idempotent consumers apply each once. */
async function replayDeadLetters(button, result) {
	button.disabled = true;
	result.textContent = "";
	try {
		const response = await fetch("/console/api/replay", {
			method: "POST",
			headers: { Accept: "application/json", [csrf.header]: csrf.token },
		});
		if (response.status === 401) {
			location.href = "/console/login";
			return;
		}
		const answer = await response.json().catch(() => ({}));
		result.textContent = response.ok
			? Object.entries(answer).map(([queue, count]) => queue + ": " + count).join(", ") + " sent back"
			: answer.detail || answer.title || "not done: " + response.status;
	}
	catch (error) {
		result.textContent = "not sent: " + error.message;
	}
	finally {
		button.disabled = false;
	}
}

document.getElementById("replay").addEventListener("click",
	(event) => replayDeadLetters(event.target, document.getElementById("replayed")));

let shownMismatches = "";

function renderMismatches(mismatches) {
	const key = JSON.stringify(mismatches);
	if (key === shownMismatches) return; // leave them (and their scroll position) alone
	shownMismatches = key;
	const container = document.getElementById("mismatches");
	if (mismatches.length === 0) {
		container.replaceChildren(el("p", { class: "empty", text: "None: every shadowed read answered the same." }));
		return;
	}
	container.replaceChildren(...mismatches.map((mismatch) => el("div", { class: "mismatch" },
		el("div", { class: "what" }, el("b", { text: mismatch.route }), " · " + mismatch.method + " " + mismatch.path
			+ " · " + time(mismatch.at) + " · " + mismatch.difference),
		el("div", { class: "sides" },
			side("monolith", mismatch.monolithStatus, mismatch.monolithBody),
			side("service", mismatch.serviceStatus, mismatch.serviceBody)))));
}

function side(name, status, body) {
	let text = body ?? "(no body)";
	try { text = JSON.stringify(JSON.parse(body), null, 2); } catch (ignored) { /* not JSON: as it came */ }
	return el("div", {}, el("h3", { text: name + " · " + (status ?? "no answer") }), el("pre", { text }));
}

poll();
