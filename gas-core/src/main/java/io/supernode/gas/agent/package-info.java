/**
 * How long-running work idles. Owners' services and the coherence transport's controllers are Agrona
 * {@link org.agrona.concurrent.Agent}s driven in a duty cycle; {@link io.supernode.gas.agent.Backoff} is
 * the idle strategy every waiting thread uses.
 */
package io.supernode.gas.agent;
