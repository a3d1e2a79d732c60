/**
 * The {@code http} function runtime: functions behind an HTTP endpoint (Knative, OpenFaaS, Google
 * Cloud Run functions and its functions framework, Azure Functions, or any JSON service), called
 * with JSON or CloudEvents; and {@link io.sluice.runtime.http.FunctionsFramework}, which starts
 * Google's functions framework locally for tests, benchmarks and examples.
 */
package io.sluice.runtime.http;
