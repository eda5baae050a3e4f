package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Fields fabric8's typed model did not recognise. fabric8 reads an unknown field into the
 * object's {@code additionalProperties} instead of failing, so a misspelt or misplaced field
 * (a {@code hostNetWork}, a {@code capabilities} one level too high) would parse silently and
 * be dropped by the API server; this walks the parsed object and reports every such field, as
 * {@code kubectl apply --validate=strict} would.
 */
final class StrictModel
{
    private static final String MODEL_PACKAGE = "io.fabric8.kubernetes.api.model";

    private StrictModel() {}

    static List<String> unknownFields(Object object)
    {
        List<String> unknown = new ArrayList<>();
        walk(object, "", unknown);
        return List.copyOf(unknown);
    }

    private static void walk(Object value, String path, List<String> unknown)
    {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> collection) {
            int index = 0;
            for (Object element : collection) {
                walk(element, path + "[" + index++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, element) -> walk(element, path + "." + key, unknown));
            return;
        }
        // Custom resources have no typed model: their CRD's schema checks them (StructuralSchema).
        if (!value.getClass().getName().startsWith(MODEL_PACKAGE) || value instanceof GenericKubernetesResource) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers()) || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = invoke(getter, value);
            String name = getter.getName().substring(3);
            if (name.equals("AdditionalProperties") && field instanceof Map<?, ?> extra) {
                extra.keySet().forEach(key -> unknown.add(path + "." + key));
            }
            else {
                walk(field, path + "." + Character.toLowerCase(name.charAt(0)) + name.substring(1), unknown);
            }
        }
    }

    private static Object invoke(Method getter, Object target)
    {
        try {
            return getter.invoke(target);
        }
        catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + getter, e);
        }
    }
}
