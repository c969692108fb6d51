package dev.relup.e2e.cluster;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * One random namespace per test class ({@code e2e-<class>-<random>}, label {@code relup.dev/e2e=true}),
 * created before all tests (after the ServiceAccount "default" exists) and deleted after all of them
 * (kept with {@code -Drelup.e2e.keepNamespaces=true}). On a failed test or a failed lifecycle method,
 * pods, container logs (init containers and previous runs included) and events are written to
 * {@code target/e2e-logs/<namespace>/<test>/} and printed on stdout.
 * Resolves parameters of type {@link KubernetesClient}, {@link TestNamespace}, {@link ClusterProvider}.
 */
public class TestNamespaceExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver, TestWatcher,
        LifecycleMethodExecutionExceptionHandler {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(TestNamespaceExtension.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    @Override
    public void beforeAll(ExtensionContext context) {
        ClusterProvider cluster = ClusterProvider.get(); // throws (fails the class) without a cluster
        String name = namespaceName(context.getRequiredTestClass());
        KubernetesClient client = cluster.client();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
                .addToLabels("relup.dev/e2e", "true")
                .addToLabels("relup.dev/e2e-class", trim(context.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT), 63))
                .endMetadata().build()).create();
        Awaitility.await("ServiceAccount default in " + name).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
        Path logDir = Paths.get(System.getProperty("relup.e2e.logDir", "target/e2e-logs")).resolve(name);
        context.getStore(STORE).put(TestNamespace.class, new TestNamespace(name, cluster, logDir));
        System.out.println("[e2e] namespace " + name + " for " + context.getRequiredTestClass().getName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        TestNamespace ns = context.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
        if (ns == null) {
            return;
        }
        if (context.getExecutionException().isPresent() && !Boolean.TRUE.equals(context.getStore(STORE).get("dumped"))) {
            ns.dump("class-" + context.getRequiredTestClass().getSimpleName());
        }
        if (Boolean.getBoolean("relup.e2e.keepNamespaces")) {
            System.out.println("[e2e] keeping namespace " + ns.name());
            return;
        }
        try {
            ns.client().namespaces().withName(ns.name()).withTimeout(0, TimeUnit.SECONDS).delete();
        } catch (RuntimeException e) {
            System.out.println("[e2e] could not delete namespace " + ns.name() + ": " + e);
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        TestNamespace ns = namespace(context);
        if (ns != null) {
            ns.dump(context.getRequiredTestMethod().getName());
            context.getParent().ifPresent(p -> p.getStore(STORE).put("dumped", true));
        }
    }

    @Override
    public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        dumpOnLifecycleFailure(context, "beforeAll");
        throw t;
    }

    @Override
    public void handleBeforeEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        dumpOnLifecycleFailure(context, "beforeEach-" + context.getRequiredTestMethod().getName());
        throw t;
    }

    @Override
    public void handleAfterEachMethodExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        dumpOnLifecycleFailure(context, "afterEach-" + context.getRequiredTestMethod().getName());
        throw t;
    }

    private void dumpOnLifecycleFailure(ExtensionContext context, String reason) {
        TestNamespace ns = namespace(context);
        if (ns != null) {
            ns.dump(reason);
        }
    }

    /** The namespace of the test class of {@code context} (from any nested context), or null. */
    public static TestNamespace namespace(ExtensionContext context) {
        ExtensionContext c = context;
        while (c != null) {
            TestNamespace ns = c.getStore(STORE).get(TestNamespace.class, TestNamespace.class);
            if (ns != null) {
                return ns;
            }
            c = c.getParent().orElse(null);
        }
        return null;
    }

    @Override
    public boolean supportsParameter(ParameterContext pc, ExtensionContext ec) throws ParameterResolutionException {
        Class<?> t = pc.getParameter().getType();
        return t == KubernetesClient.class || t == TestNamespace.class || t == ClusterProvider.class;
    }

    @Override
    public Object resolveParameter(ParameterContext pc, ExtensionContext ec) throws ParameterResolutionException {
        Class<?> t = pc.getParameter().getType();
        if (t == ClusterProvider.class) {
            return ClusterProvider.get();
        }
        if (t == KubernetesClient.class) {
            return ClusterProvider.get().client();
        }
        TestNamespace ns = namespace(ec);
        if (ns == null) {
            throw new ParameterResolutionException("no test namespace (is the class annotated @KubernetesE2e?)");
        }
        return ns;
    }

    static String namespaceName(Class<?> testClass) {
        String base = testClass.getSimpleName().replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-|-$", "");
        String suffix = Integer.toString(RANDOM.nextInt(36 * 36 * 36 * 36 * 36), 36);
        return "e2e-" + trim(base, 40).replaceAll("-$", "") + "-" + suffix;
    }

    private static String trim(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
