package dev.stranglerkit.control;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;

/**
 * GETs against the landscape's applications, for whatever drives it ({@code ./kit}, the
 * console's cutover): a response, or empty when nothing answers; over HTTPS with the
 * operators' certificate when the landscape runs with mutual TLS ({@link Tls}).
 */
public final class Http {

	/** the client, and the TLS context it was built with (null: plaintext) */
	private record Client(HttpClient client, SSLContext context) {
	}

	private static final AtomicReference<Client> client = new AtomicReference<>();

	private Http() {
	}

	/**
	 * @param credentials {@code user:password} for basic authentication, or null
	 */
	public static Optional<HttpResponse<String>> get(URI uri, String credentials) {
		return get(uri, credentials, "application/json");
	}

	/**
	 * @param accept the media type asked for (the Prometheus endpoint does not answer
	 * JSON)
	 */
	public static Optional<HttpResponse<String>> get(URI uri, String credentials, String accept) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.header("Accept", accept)
			.timeout(Duration.ofSeconds(2));
		if (credentials != null) {
			request.header("Authorization",
					"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
		}
		try {
			return Optional.of(client().send(request.build(), HttpResponse.BodyHandlers.ofString()));
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	/**
	 * @return the client, with the kit's client certificate when the landscape runs with
	 * mutual TLS ({@link Tls})
	 */
	private static HttpClient client() {
		SSLContext context = Tls.context();
		Client current = client.get();
		if (current != null && current.context() == context) {
			return current.client();
		}
		HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1));
		Client built = new Client(((context != null) ? builder.sslContext(context) : builder).build(), context);
		if (client.compareAndSet(current, built)) {
			if (current != null) {
				// (requests under way on it finish)
				current.client().shutdown();
			}
			return built.client();
		}
		built.client().shutdown();
		return client();
	}

	/**
	 * @return whether something listens on the address's host and port: false only when
	 * the connection is refused (a process that is paused, or too busy to answer, still
	 * has its port open)
	 */
	public static boolean listening(URI address) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(address.getHost(), address.getPort()), 1000);
			return true;
		}
		catch (ConnectException ex) {
			return false;
		}
		catch (IOException ex) {
			return true;
		}
	}

}
