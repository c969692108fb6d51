package dev.relup.api.v1alpha1;

import io.fabric8.generator.annotation.ValidationRule;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * An Erlang/OTP release run as a set of pods, moved between versions in place by OTP's release_handler.
 *
 * <p>The spec is the desired state only (the controller never writes it); the status is what the controller
 * observed and what it is doing.
 */
@Group(ErlangRelease.GROUP)
@Version(ErlangRelease.VERSION)
@Kind("ErlangRelease")
@Plural("erlangreleases")
@Singular("erlangrelease")
@ShortNames("erel")
@AdditionalPrinterColumn(name = "Desired", jsonPath = ".spec.version", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Current", jsonPath = ".status.currentVersion", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.readyPods", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// The name becomes the StatefulSet's and the Service's (DNS-1035 label), its pods' "<name>-<ordinal>" and their
// controller-revision-hash label "<name>-<10 characters>" (at most 63), hence 52.
@ValidationRule(value = "self.metadata.name.size() <= 52 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
        message = "metadata.name must be at most 52 characters of lowercase letters, digits and '-', starting with a letter"
                + " and ending with a letter or digit (it names the StatefulSet, its pods and the Service), e.g. ticker")
public class ErlangRelease extends CustomResource<ErlangReleaseSpec, ErlangReleaseStatus> implements Namespaced {

    public static final String GROUP = "relup.dev";
    public static final String VERSION = "v1alpha1";

    @Override
    protected ErlangReleaseStatus initStatus() {
        return new ErlangReleaseStatus();
    }
}
