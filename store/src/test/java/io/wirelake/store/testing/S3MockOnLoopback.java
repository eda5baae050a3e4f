package io.wirelake.store.testing;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.InetAddress;

/**
 * Starts Adobe's S3Mock with every connector bound to 127.0.0.1. S3Mock binds its extra HTTP
 * connector to all interfaces and has no setting for it, so this main runs inside S3Mock's own
 * class loader (Spring Boot's {@code PropertiesLauncher} with {@code loader.main}) and, through
 * {@code SpringApplication.withHook}, adds a bean post-processor that sets the address of the web
 * server factory and of its additional connectors before they bind. Everything is reached by
 * reflection and JDK proxies, so nothing of Spring is on the tests' class path.
 */
public final class S3MockOnLoopback
{
    private S3MockOnLoopback() {}

    public static void main(String[] arguments)
            throws Throwable
    {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        Class<?> hookType = loader.loadClass("org.springframework.boot.SpringApplicationHook");
        Class<?> listenerType = loader.loadClass("org.springframework.boot.SpringApplicationRunListener");
        Class<?> postProcessorType = loader.loadClass("org.springframework.beans.factory.config.BeanPostProcessor");
        Class<?> applicationType = loader.loadClass("org.springframework.boot.SpringApplication");
        Class<?> s3Mock = loader.loadClass("com.adobe.testing.s3mock.S3MockApplication");
        InetAddress loopback = InetAddress.getByName("127.0.0.1");

        Object postProcessor = Proxy.newProxyInstance(loader, new Class<?>[] {postProcessorType}, (proxy, method, args) -> {
            if (method.getName().equals("postProcessBeforeInitialization")) {
                Object bean = args[0];
                if (bean.getClass().getName().endsWith("TomcatServletWebServerFactory")) {
                    bean.getClass().getMethod("setAddress", InetAddress.class).invoke(bean, loopback);
                    for (Object connector : (Iterable<?>) bean.getClass().getMethod("getAdditionalTomcatConnectors").invoke(bean)) {
                        connector.getClass().getMethod("setProperty", String.class, String.class).invoke(connector, "address", "127.0.0.1");
                    }
                }
                return bean;
            }
            if (method.getName().equals("postProcessAfterInitialization")) {
                return args[0];
            }
            return objectMethod(proxy, method, args);
        });
        Object listener = Proxy.newProxyInstance(loader, new Class<?>[] {listenerType}, (proxy, method, args) -> {
            if (method.getName().equals("contextPrepared")) {
                Object beanFactory = args[0].getClass().getMethod("getBeanFactory").invoke(args[0]);
                for (Method add : beanFactory.getClass().getMethods()) {
                    if (add.getName().equals("addBeanPostProcessor") && add.getParameterCount() == 1) {
                        add.invoke(beanFactory, postProcessor);
                        break;
                    }
                }
                return null;
            }
            return method.getDeclaringClass() == Object.class ? objectMethod(proxy, method, args) : null;
        });
        Object hook = Proxy.newProxyInstance(loader, new Class<?>[] {hookType}, (proxy, method, args) ->
                method.getName().equals("getRunListener") ? listener : objectMethod(proxy, method, args));
        Runnable start = () -> {
            try {
                s3Mock.getMethod("main", String[].class).invoke(null, (Object) arguments);
            }
            catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        };
        applicationType.getMethod("withHook", hookType, Runnable.class).invoke(null, hook, start);
        // S3Mock's web server threads keep the JVM alive; the test stops the process.
        Thread.currentThread().join();
    }

    private static Object objectMethod(Object proxy, Method method, Object[] args)
    {
        return switch (method.getName()) {
            case "hashCode" -> System.identityHashCode(proxy);
            case "equals" -> proxy == args[0];
            case "toString" -> "S3MockOnLoopback$Proxy";
            default -> null;
        };
    }

}
