/**
 * The {@code aws-lambda} function runtime, in a module of its own so that only the jars that
 * assemble a runnable Sluice carry the AWS SDK.
 */
package io.sluice.runtime.aws;
