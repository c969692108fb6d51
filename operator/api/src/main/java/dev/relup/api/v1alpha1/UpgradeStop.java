package dev.relup.api.v1alpha1;

import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * One entry of spec.upgradePath: a version a multi-step move may pass through, and the image that holds it. Validated
 * like spec.version and spec.image, since the version becomes a build Job's label value and the image its init
 * container's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class UpgradeStop {

    @Required
    @Size(min = 1, max = 63)
    @ValidationRule(value = ErlangReleaseSpec.VERSION_RULE,
            message = "upgradePath[].version must be a release version such as 1.2.0 (letters, digits, '.', '_', '+', '-'; starting and ending with a letter or digit, as it becomes a label value)")
    @JsonPropertyDescription("A release version the operator may pass through on the way to `version`.")
    private String version;

    @Required
    @Size(min = 1, max = 512)
    @ValidationRule(value = ErlangReleaseSpec.IMAGE_RULE,
            message = "upgradePath[].image must carry an explicit tag other than :latest, or a digest (e.g. registry.example/app:1.2.0), so that each version maps to exactly one image")
    @JsonPropertyDescription("Image holding the release of this version at `releaseDir`.")
    private String image;

    public UpgradeStop() {}

    public UpgradeStop(String version, String image) {
        this.version = version;
        this.image = image;
    }

    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }

    @Override public boolean equals(Object o) {
        return o instanceof UpgradeStop s && Objects.equals(version, s.version) && Objects.equals(image, s.image);
    }
    @Override public int hashCode() { return Objects.hash(version, image); }
}
