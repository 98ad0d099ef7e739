package dev.sluice.k8s;

import org.junit.jupiter.api.Assumptions;

/** Skips a test, saying why, only when kubectl is missing and cannot be installed here. */
final class KubectlAvailable {
    private KubectlAvailable() {
    }

    static void assume() {
        Assumptions.assumeTrue(Kustomize.find().isPresent(),
                "kubectl (kustomize v5) is not installed and could not be installed with apt-get install -y kubectl: "
                        + "the Kubernetes manifests are not validated on this machine");
    }
}
