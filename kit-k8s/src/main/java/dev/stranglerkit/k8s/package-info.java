/**
 * The landscape on Kubernetes: {@code deploy/k8s/}'s overlays rendered from the route
 * state of {@code config-repo/}, the strangler routes as Istio resources for the
 * {@code istio} overlay. Plain Java, no Spring: {@code ./kit k8s} and {@code ./kit route
 * --k8s} use it.
 */
package dev.stranglerkit.k8s;
