package dev.relup.operator.events;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jboss.logging.Logger;

import dev.relup.api.v1alpha1.ErlangRelease;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;

/** Writes core/v1 Events (what {@code kubectl describe erel} shows); a failure to write one is only logged. */
public final class KubernetesEvents implements Events {

    private static final Logger LOG = Logger.getLogger(KubernetesEvents.class);
    private static final int REMEMBERED = 512;
    private final KubernetesClient client;
    private final String instance;
    private final RepeatGate gate = new RepeatGate(Duration.ofSeconds(5), Duration.ofMinutes(10));
    /** Repeating warnings by key: the Event written for the first one, to bump (most recent last, bounded). */
    private final Map<String, Event> repeated = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
            return size() > REMEMBERED;
        }
    });

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

    @Override
    public void warningRepeated(ErlangRelease cr, String reason, String subject, String message, Instant now) {
        // one pace per subject, whatever the reason: a frozen node is seen both as unreachable and as failing steps
        RepeatGate.Verdict v = gate.occurred(cr.getMetadata().getUid() + "/" + subject, now);
        String k = cr.getMetadata().getUid() + "/" + reason + "/" + subject;
        String ns = cr.getMetadata().getNamespace();
        Event first = v.writes() == 1 ? null : repeated.get(k);
        if (!v.write()) {
            LOG.infof("%s/%s Warning %s (again, %d times since %s): %s", ns, cr.getMetadata().getName(), reason,
                    v.occurrences(), v.since(), message);
            return;
        }
        String told = v.occurrences() == 1 ? message
                : message + " (" + v.occurrences() + " times since " + v.since().truncatedTo(ChronoUnit.SECONDS) + ")";
        if (first == null) {
            Event written = emit(cr, "Warning", reason, told);
            if (written != null) {
                repeated.put(k, written);
            }
            return;
        }
        LOG.infof("%s/%s Warning %s (again): %s", ns, cr.getMetadata().getName(), reason, told);
        int count = (first.getCount() == null ? 1 : first.getCount()) + 1;
        try {
            // a merge patch needs no read first (the operator's Role has no get on events)
            Event bumped = client.v1().events().inNamespace(ns).withName(first.getMetadata().getName())
                    .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of("count", count,
                            "message", bounded(told), "lastTimestamp", now())));
            repeated.put(k, bumped);
        } catch (RuntimeException e) {
            repeated.remove(k); // gone (TTL) or unreadable: the next write makes a new one
            LOG.warnf("could not update event %s on %s/%s: %s", reason, ns, cr.getMetadata().getName(), e.getMessage());
        }
    }

    private Event emit(ErlangRelease cr, String type, String reason, String message) {
        String ns = cr.getMetadata().getNamespace();
        LOG.infof("%s/%s %s %s: %s", ns, cr.getMetadata().getName(), type, reason, message);
        String now = now();
        try {
            return client.v1().events().inNamespace(ns).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(cr.getMetadata().getName() + ".").withNamespace(ns).endMetadata()
                    .withInvolvedObject(new ObjectReferenceBuilder()
                            .withApiVersion(cr.getApiVersion()).withKind(cr.getKind())
                            .withName(cr.getMetadata().getName()).withNamespace(ns)
                            .withUid(cr.getMetadata().getUid()).build())
                    .withType(type)
                    .withReason(reason)
                    .withMessage(bounded(message))
                    .withFirstTimestamp(now)
                    .withLastTimestamp(now)
                    .withCount(1)
                    .withNewSource().withComponent("relup-operator").withHost(instance).endSource()
                    .withReportingComponent("relup-operator")
                    .withReportingInstance(instance)
                    .build()).create();
        } catch (RuntimeException e) {
            LOG.warnf("could not write event %s on %s/%s: %s", reason, ns, cr.getMetadata().getName(), e.getMessage());
            return null;
        }
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String bounded(String message) {
        return message.length() > 1000 ? message.substring(0, 1000) + "..." : message;
    }
}
