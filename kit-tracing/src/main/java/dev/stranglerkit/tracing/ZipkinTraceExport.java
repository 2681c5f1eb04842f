package dev.stranglerkit.tracing;

import io.opentelemetry.exporter.zipkin.ZipkinSpanExporter;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Sends every span to a Zipkin server as well, when {@code kit.tracing.zipkin.endpoint}
 * is set (env {@code KIT_TRACING_ZIPKIN_ENDPOINT}; {@code ./kit up zipkin} starts one on
 * 9411). Spring Boot 4 exports OpenTelemetry spans by OTLP only
 * ({@code management.opentelemetry.tracing.export.otlp.endpoint}), and Zipkin's server
 * takes its own format: Boot adds this exporter to the same batch processor as any other.
 */
@AutoConfiguration
@ConditionalOnProperty("kit.tracing.zipkin.endpoint")
public class ZipkinTraceExport {

	@Bean
	ZipkinSpanExporter kitZipkinSpanExporter(@Value("${kit.tracing.zipkin.endpoint}") String endpoint) {
		return ZipkinSpanExporter.builder().setEndpoint(endpoint).build();
	}

}
