package dev.relup.operator.events;

import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Writes core/v1 Events (what {@code kubectl describe erel} shows); a failure to write one is only logged. */
public final class KubernetesEvents implements Events {

    private static final Logger LOG = Logger.getLogger(KubernetesEvents.class);
    private final KubernetesClient client;
    private final String instance;

    public KubernetesEvents(KubernetesClient client) {
        this.client = client;
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        this.instance = host;
    }

    @Override
    public void normal(ErlangRelease cr, String reason, String message) {
        emit(cr, "Normal", reason, message);
    }

    @Override
    public void warning(ErlangRelease cr, String reason, String message) {
        emit(cr, "Warning", reason, message);
    }

    private void emit(ErlangRelease cr, String type, String reason, String message) {
        String ns = cr.getMetadata().getNamespace();
        LOG.infof("%s/%s %s %s: %s", ns, cr.getMetadata().getName(), type, reason, message);
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        try {
            client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(cr.getMetadata().getName() + ".").withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(cr.getApiVersion()).withKind(cr.getKind())
                            .withName(cr.getMetadata().getName()).withNamespace(ns)
                            .withUid(cr.getMetadata().getUid()).build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(message.length() > 1000 ? message.substring(0, 1000) + "..." : message)
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent("relup-operator").withHost(instance).endSource()
                    .withReportingComponent("relup-operator")
                    .withReportingInstance(instance)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warnf("could not write event %s on %s/%s: %s", reason, ns, cr.getMetadata().getName(), e.getMessage());
        }
    }
}
