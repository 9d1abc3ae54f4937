package io.aimp.gateway.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a {@link GatewayHttpTest}: every exchange its {@code anonymous}, {@code owner} and {@code accounts}
 * clients make is validated against the OpenAPI document after each test; an answer that does not match
 * the document fails the test (a refused request may break the document, its answer may not).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Inherited
public @interface CheckedAgainstOpenApi {
}
