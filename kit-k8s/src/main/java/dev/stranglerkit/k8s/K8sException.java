package dev.stranglerkit.k8s;

/**
 * The manifests or the dashboard could not be read or rendered; the message says why, for
 * the user.
 */
public class K8sException extends RuntimeException {

	public K8sException(String message) {
		super(message);
	}

}
