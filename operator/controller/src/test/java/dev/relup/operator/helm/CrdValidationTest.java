package dev.relup.operator.helm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The generated CRD carries the rules that keep bad values away from object names, label values and shell command
 * lines. The regexes of the CEL rules are also run here on good and bad values (RE2 and java.util.regex agree on
 * these simple patterns); SpecValidationIT sends bad specs to a real API server.
 */
class CrdValidationTest {

    private static final Path CRD = Path.of("../..").toAbsolutePath().normalize()
            .resolve("crds/erlangreleases.relup.dev-v1.yml");

    @SuppressWarnings("unchecked")
    private static Map<String, Object> schema() throws Exception {
        Map<String, Object> crd = new Yaml().load(Files.readString(CRD));
        Map<String, Object> spec = (Map<String, Object>) crd.get("spec");
        Map<String, Object> version = ((List<Map<String, Object>>) spec.get("versions")).get(0);
        return (Map<String, Object>) ((Map<String, Object>) version.get("schema")).get("openAPIV3Schema");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> at(Map<String, Object> schema, String... path) {
        Map<String, Object> s = schema;
        for (String p : path) {
            s = (Map<String, Object>) ((Map<String, Object>) s.get("properties")).get(p);
        }
        return s;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, String>> rules(Map<String, Object> s) {
        return (List<Map<String, String>>) s.getOrDefault("x-kubernetes-validations", List.of());
    }

    /** The rule whose message starts with {@code message}. */
    private static String rule(Map<String, Object> s, String message) {
        return rules(s).stream().filter(r -> r.get("message").startsWith(message)).map(r -> r.get("rule")).findFirst()
                .orElseThrow(() -> new AssertionError("no rule with message '" + message + "' in " + rules(s)));
    }

    /** The pattern of the first {@code matches('...')} in a rule. */
    private static Pattern regex(String rule) {
        Matcher m = Pattern.compile("matches\\('([^']*)'\\)").matcher(rule);
        assertThat(m.find()).as(rule).isTrue();
        return Pattern.compile(m.group(1));
    }

    @Test
    void theNameMakesAStatefulSetServiceAndPodLabels() throws Exception {
        String rule = rule(schema(), "metadata.name must be at most 52 characters");
        assertThat(rule).contains("self.metadata.name.size() <= 52");
        Pattern p = regex(rule);
        assertThat(List.of("ticker", "t", "ticker-2", "a" + "b".repeat(51))).allMatch(n -> p.matcher(n).find());
        assertThat(List.of("1ticker", "tick.er", "ticker-", "Ticker", "-t")).noneMatch(n -> p.matcher(n).find());
    }

    @Test
    void releaseAndVersionMakeLabelValues() throws Exception {
        Map<String, Object> spec = at(schema(), "spec");
        Pattern release = regex(rule(at(spec, "release"), "release must be the Erlang release name"));
        assertThat(at(spec, "release")).containsEntry("maxLength", 63);
        assertThat(List.of("ticker", "my_app2", "t")).allMatch(v -> release.matcher(v).find());
        assertThat(List.of("ticker_", "Ticker", "my-app", "1app")).noneMatch(v -> release.matcher(v).find());

        Pattern version = regex(rule(at(spec, "version"), "version must be a release version"));
        assertThat(at(spec, "version")).containsEntry("maxLength", 63);
        assertThat(List.of("0.1.0", "1.2.0+build.5", "2024_01", "7")).allMatch(v -> version.matcher(v).find());
        assertThat(List.of("0.1.0-", "../0.1", "0.1/x", ".1", "0.1.0.", "1 2")).noneMatch(v -> version.matcher(v).find());
    }

    @Test
    void releaseDirHasNoDotSegmentsSpacesOrShellCharacters() throws Exception {
        Map<String, Object> dir = at(schema(), "spec", "releaseDir");
        Pattern path = regex(rule(dir, "releaseDir must be an absolute path"));
        String dots = rule(dir, "releaseDir must not contain a '.' or '..' segment");
        assertThat(dots).startsWith("!");
        Pattern dotSegment = regex(dots);
        assertThat(List.of("/opt/release", "/app", "/srv/my_app-1.2/rel")).allMatch(d -> path.matcher(d).find()
                && !dotSegment.matcher(d).find());
        assertThat(List.of("opt/release", "/opt/release/", "/opt/my release", "/opt/r;rm -rf /", "/opt/$(id)", "/",
                "/opt/`id`", "/opt//release")).noneMatch(d -> path.matcher(d).find());
        assertThat(List.of("/opt/../etc", "/opt/./release", "/..", "/opt/..")).allMatch(d -> dotSegment.matcher(d).find());
        assertThat(dotSegment.matcher("/opt/..hidden").find()).isFalse();
    }

    @Test
    void batchSizeIsAtMostReplicas() throws Exception {
        Map<String, Object> spec = at(schema(), "spec");
        assertThat(rule(spec, "batchSize must not exceed replicas")).contains("self.batchSize <= self.replicas");
        assertThat(at(spec, "batchSize")).containsEntry("minimum", 1.0).containsEntry("maximum", 1000.0);
    }

    @Test
    void secretAndServiceAccountAreObjectNames() throws Exception {
        Map<String, Object> spec = at(schema(), "spec");
        Pattern secret = regex(rule(at(spec, "cookieSecret"), "cookieSecret must be the name of a Secret"));
        Pattern sa = regex(rule(at(spec, "pod", "serviceAccountName"), "pod.serviceAccountName must be the name"));
        for (Pattern p : List.of(secret, sa)) {
            assertThat(List.of("ticker-cookie", "a.b-c", "x")).allMatch(v -> p.matcher(v).find());
            assertThat(List.of("My_Secret", "-x", "x-", "a..b", "a/b")).noneMatch(v -> p.matcher(v).find());
        }
    }

    @Test
    void upgradePathEntriesAreValidatedLikeVersionAndImageAndTheirVersionsAreUnique() throws Exception {
        Map<String, Object> spec = at(schema(), "spec");
        Map<String, Object> path = at(spec, "upgradePath");
        assertThat(path).containsEntry("maxItems", 16);
        assertThat(rule(path, "upgradePath lists a version twice"))
                .isEqualTo("self.all(x, self.exists_one(y, y.version == x.version))");
        @SuppressWarnings("unchecked")
        Map<String, Object> item = (Map<String, Object>) path.get("items");
        assertThat((List<String>) item.get("required")).containsExactlyInAnyOrder("version", "image");
        assertThat(rule(at(item, "version"), "upgradePath[].version must be a release version"))
                .isEqualTo(rule(at(spec, "version"), "version must be a release version"));
        assertThat(rule(at(item, "image"), "upgradePath[].image must carry an explicit tag"))
                .isEqualTo(rule(at(spec, "image"), "image must carry an explicit tag"));
        assertThat(at(item, "version")).containsEntry("maxLength", 63);
        assertThat(at(item, "image")).containsEntry("maxLength", 512);
    }

    @Test
    void theDistributionPortIsAnUnprivilegedPortOtherThanEpmdsAndNoTcpPortTakesIt() throws Exception {
        Map<String, Object> pod = at(schema(), "spec", "pod");
        Map<String, Object> dist = at(pod, "distributionPort");
        assertThat(dist).containsEntry("minimum", 1024.0).containsEntry("maximum", 65535.0).containsEntry("default", 9100);
        assertThat(rule(dist, "pod.distributionPort must not be 4369")).isEqualTo("self != 4369");
        assertThat(rule(pod, "pod.ports must not declare the distribution port"))
                .contains("self.distributionPort", ": 9100", "p.protocol != 'TCP'");
        // measured with apiextensions-apiserver's own CRD validation: without maxItems the API server refuses the CRD
        // (the rule's estimated cost exceeds its budget)
        assertThat(at(pod, "ports")).containsEntry("maxItems", 64);
    }

    /** CEL's cost limit: every string a rule runs a regex on has a maximum length. */
    @Test
    void everyStringUnderARuleIsBounded() throws Exception {
        Map<String, Object> spec = at(schema(), "spec");
        for (Map<String, Object> s : List.of(at(spec, "release"), at(spec, "version"), at(spec, "image"),
                at(spec, "releaseDir"), at(spec, "cookieSecret"), at(spec, "pod", "serviceAccountName"))) {
            assertThat(rules(s)).isNotEmpty();
            assertThat(s).containsKey("maxLength");
        }
    }
}
