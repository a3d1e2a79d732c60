/** Pieces the built-in runtimes share; not an API. */
package io.sluice.runtime.internal;
