package dev.stranglerkit.k8s;

/**
 * The manifests could not be rendered; the message says why, for the user.
 */
public class K8sException extends RuntimeException {

	public K8sException(String message) {
		super(message);
	}

}
