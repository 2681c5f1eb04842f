package dev.stranglerkit.gateway;

import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Refuses request bodies larger than {@code strangler.max-body-size} with 413, before
 * anything is forwarded: at once when the declared length is too large, and while reading
 * when a body without a length (chunked) grows past it.
 */
@Component
class RequestSizeLimit implements WebFilter, Ordered {

	private final StranglerRoutes routes;

	RequestSizeLimit(StranglerRoutes routes) {
		this.routes = routes;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		long limit = this.routes.current().maxBodySize().toBytes();
		HttpHeaders headers = exchange.getRequest().getHeaders();
		long declared = headers.getContentLength();
		if (declared > limit) {
			return Mono.error(tooLarge(limit));
		}
		// over HTTP/1.x a body without a declared length comes chunked, and without
		// either
		// header there is none (RFC 9112, 6.3): the request (most are GETs) goes on
		// undecorated, since every decorator is one more step in each of the exchange's
		// calls. HTTP/2 frames a body without either header, so there it is always
		// counted.
		if (declared >= 0 || (http1(exchange.getRequest()) && !headers.containsHeader(HttpHeaders.TRANSFER_ENCODING))) {
			return chain.filter(exchange);
		}
		AtomicLong read = new AtomicLong();
		ServerHttpRequestDecorator counted = new ServerHttpRequestDecorator(exchange.getRequest()) {

			@Override
			public Flux<DataBuffer> getBody() {
				return super.getBody().handle((buffer, sink) -> {
					if (read.addAndGet(buffer.readableByteCount()) > limit) {
						DataBufferUtils.release(buffer);
						sink.error(tooLarge(limit));
					}
					else {
						sink.next(buffer);
					}
				});
			}

		};
		return chain.filter(exchange.mutate().request(counted).build());
	}

	private static boolean http1(ServerHttpRequest request) {
		try {
			HttpServerRequest nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
			return nativeRequest.version().majorVersion() == 1;
		}
		catch (IllegalArgumentException | ClassCastException ex) {
			return false;
		}
	}

	private static ResponseStatusException tooLarge(long limit) {
		return new ResponseStatusException(HttpStatus.CONTENT_TOO_LARGE,
				"The request body is larger than the gateway accepts (%d bytes).".formatted(limit));
	}

}
