package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/** The objects of one {@code helm template} output, each in fabric8's typed model. */
record Rendered(List<Rendered.Item> items)
{
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Pattern SOURCE = Pattern.compile("^# Source: (\\S+)", Pattern.MULTILINE);

    /** One rendered document: the template it came from, its typed object, and its plain YAML tree. */
    record Item(String source, HasMetadata object, Map<String, Object> tree)
    {
        Item
        {
            requireNonNull(source, "source is null");
            requireNonNull(object, "object is null");
            requireNonNull(tree, "tree is null");
        }
    }

    Rendered
    {
        items = List.copyOf(items);
    }

    static Rendered parse(String text)
    {
        List<Item> items = new ArrayList<>();
        for (String document : text.split("(?m)^---\\s*$")) {
            Map<String, Object> tree = Chart.yaml(document);
            if (tree.isEmpty()) {
                continue;
            }
            Matcher source = SOURCE.matcher(document);
            HasMetadata object = SERIALIZATION.unmarshal(document);
            items.add(new Item(source.find() ? source.group(1) : "(unknown)", object, tree));
        }
        return new Rendered(items);
    }

    List<HasMetadata> objects()
    {
        return items.stream().map(Item::object).toList();
    }

    /** The one object of this type and name; fails when there is none or more than one. */
    <T extends HasMetadata> T one(Class<T> type, String name)
    {
        List<T> found = items.stream().map(Item::object).filter(type::isInstance).map(type::cast)
                .filter(object -> object.getMetadata().getName().equals(name)).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + " named " + name + ", found " + found.size() + " among " + names());
        }
        return found.get(0);
    }

    <T extends HasMetadata> List<T> all(Class<T> type)
    {
        return items.stream().map(Item::object).filter(type::isInstance).map(type::cast).toList();
    }

    /** Objects of a kind fabric8 has no class for (custom resources), by kind. */
    List<GenericKubernetesResource> generic(String kind)
    {
        return all(GenericKubernetesResource.class).stream().filter(resource -> resource.getKind().equals(kind)).toList();
    }

    List<String> names()
    {
        return items.stream().map(item -> item.object().getKind() + "/" + item.object().getMetadata().getName()).toList();
    }
}
