package dev.relup.e2e.cluster;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/** Dumps what is needed to understand a failed e2e test: pods, container logs, events. */
public final class Diagnostics {
    private static final int STDOUT_LOG_LINES = 40;

    private Diagnostics() {
    }

    /** Writes to {@code dir/<reason>/} and prints a summary (pods, events, log tails) on stdout. Never throws. */
    public static void dump(KubernetesClient client, String namespace, Path dir, String reason) {
        Path out = dir.resolve(reason.replaceAll("[^A-Za-z0-9._-]", "_"));
        StringBuilder summary = new StringBuilder();
        summary.append("\n===== e2e diagnostics: namespace ").append(namespace).append(" (").append(reason).append(") -> ")
                .append(out.toAbsolutePath()).append('\n');
        try {
            Files.createDirectories(out);
            List<Pod> pods = client.pods().inNamespace(namespace).list().getItems();
            StringBuilder podText = new StringBuilder();
            for (Pod pod : pods) {
                podText.append(describe(pod));
            }
            write(out.resolve("pods.txt"), podText.toString());
            write(out.resolve("pods.yaml"), Serialization.asYaml(pods));
            summary.append("--- pods\n").append(podText);
            for (Pod pod : pods) {
                List<ContainerStatus> statuses = new ArrayList<>();
                statuses.addAll(pod.getStatus().getInitContainerStatuses());
                statuses.addAll(pod.getStatus().getContainerStatuses());
                for (ContainerStatus cs : statuses) {
                    String pn = pod.getMetadata().getName();
                    String log = log(client, namespace, pn, cs.getName(), false);
                    write(out.resolve(pn + "_" + cs.getName() + ".log"), log);
                    summary.append("--- log ").append(pn).append('/').append(cs.getName()).append(" (last ")
                            .append(STDOUT_LOG_LINES).append(" lines)\n").append(tail(log, STDOUT_LOG_LINES));
                    if (cs.getRestartCount() != null && cs.getRestartCount() > 0) {
                        write(out.resolve(pn + "_" + cs.getName() + ".previous.log"), log(client, namespace, pn, cs.getName(), true));
                    }
                }
            }
            StringBuilder ev = new StringBuilder();
            client.v1().events().inNamespace(namespace).list().getItems().stream()
                    .sorted(Comparator.comparing(Diagnostics::eventTime))
                    .forEach(e -> ev.append(String.format("%s %-7s %-22s %s/%s: %s%n", eventTime(e), e.getType(), e.getReason(),
                            e.getInvolvedObject().getKind(), e.getInvolvedObject().getName(), e.getMessage())));
            write(out.resolve("events.txt"), ev.toString());
            summary.append("--- events\n").append(ev);
        } catch (RuntimeException | IOException e) {
            summary.append("(diagnostics incomplete: ").append(e).append(")\n");
        }
        summary.append("===== end of diagnostics for ").append(namespace).append('\n');
        System.out.println(summary);
    }

    private static String describe(Pod pod) {
        StringBuilder b = new StringBuilder();
        var st = pod.getStatus();
        b.append(String.format("%s phase=%s node=%s podIP=%s%n", pod.getMetadata().getName(), st.getPhase(),
                pod.getSpec().getNodeName(), st.getPodIP()));
        if (st.getConditions() != null) {
            st.getConditions().forEach(c -> b.append(String.format("  condition %s=%s %s%n", c.getType(), c.getStatus(),
                    Objects.toString(c.getMessage(), ""))));
        }
        Stream.concat(st.getInitContainerStatuses().stream(), st.getContainerStatuses().stream()).forEach(cs -> {
            String state = cs.getState() == null ? "?" : cs.getState().getWaiting() != null
                    ? "waiting " + cs.getState().getWaiting().getReason() + " " + Objects.toString(cs.getState().getWaiting().getMessage(), "")
                    : cs.getState().getTerminated() != null
                    ? "terminated exit=" + cs.getState().getTerminated().getExitCode() + " " + Objects.toString(cs.getState().getTerminated().getReason(), "")
                    : "running";
            b.append(String.format("  container %s image=%s ready=%s restarts=%s %s%n", cs.getName(), cs.getImage(), cs.getReady(),
                    cs.getRestartCount(), state));
        });
        return b.toString();
    }

    private static String log(KubernetesClient client, String ns, String pod, String container, boolean previous) {
        try {
            var res = client.pods().inNamespace(ns).withName(pod).inContainer(container);
            String s = previous ? res.terminated().getLog() : res.getLog();
            return s == null ? "" : s;
        } catch (RuntimeException e) {
            return "(no log: " + e.getMessage() + ")\n";
        }
    }

    private static String eventTime(Event e) {
        String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
                : e.getEventTime() != null ? e.getEventTime().getTime() : e.getMetadata().getCreationTimestamp();
        return t == null ? "" : t;
    }

    private static String tail(String s, int lines) {
        String[] all = s.split("\n", -1);
        int from = Math.max(0, all.length - lines - 1);
        StringBuilder b = new StringBuilder();
        for (int i = from; i < all.length; i++) {
            if (!(i == all.length - 1 && all[i].isEmpty())) {
                b.append("  | ").append(all[i]).append('\n');
            }
        }
        return b.toString();
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }
}
