package dev.relup.api.v1alpha1;

/**
 * How the release container gets the Erlang cookie (docs/contract.md). {@code File}: {@code $HOME/.erlang.cookie},
 * owner-only, written by an init container from the Secret; the image's vm.args has no {@code -setcookie}, so the
 * cookie is on no command line. {@code Env}: {@code RELEASE_COOKIE} from the Secret, for older images whose
 * vm.args.src says {@code -setcookie ${RELEASE_COOKIE}} (weaker: the cookie is then in the BEAM's command line).
 */
public enum CookieFrom {
    File,
    Env
}
